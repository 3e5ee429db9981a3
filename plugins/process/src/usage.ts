import { compare, defineTest, formatBytes, ok, skipped, type Comparison, type Observation, type ProbeContext, type ProbeResult } from '@warden/sdk';
import { parseFiledescriptors, runFiledescriptors, type FiledescriptorsOptions } from './filedescriptors.js';
import { CLOCK_TICKS, descendants, type ProcessTable } from './proc.js';
import { cycleTable, type ProcessTarget } from './target.js';

/** Which figure a usage rule compares. */
export interface UsageOptions {
  readonly what: 'cpu' | 'memory';
  /** With the whole tree below the process (`total cpu`, `totalmem`). */
  readonly total: boolean;
  readonly comparison: Comparison;
}

/** A usage rule, or `total filedescriptors`, whose `total` word this test owns. */
export type UsageRuleOptions = UsageOptions | FiledescriptorsOptions;

/** Below this many milliseconds between two tree samples the CPU figure is noise. */
const MIN_SAMPLE_MS = 500;

/**
 * `if cpu [usage] OP N%` (Monit C6), `if total cpu|totalcpu OP N%` (C7), `if mem[ory]
 * [usage] OP N (%|unit)` (C8) and `if total mem[ory]|totalmem OP N (%|unit)` (C9). CPU is in
 * percent of one core over the time since the last sample; memory is the resident size, in
 * bytes or percent of `MemTotal`. Totals add every process below this one (the cycle's
 * shared process table). `total filedescriptors` starts with the same word, so this test
 * parses it and hands it to `process.filedescriptors`'s functions.
 */
export const usageTest = defineTest<UsageRuleOptions, ProcessTarget>({
  name: 'process.usage',
  summary: 'CPU and memory of the process, alone or with its children',
  serviceTypes: ['process'],
  keywords: ['cpu', 'totalcpu', 'mem', 'memory', 'totalmem', 'totalmemory', 'total'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  parse(ts) {
    let word = ts.expect('cpu', 'totalcpu', 'mem', 'memory', 'totalmem', 'totalmemory', 'total').text.toLowerCase();
    const total = word.startsWith('total');
    if (word === 'total' && ts.at('filedescriptors')) return parseFiledescriptors(ts, true);
    if (word === 'total') word = ts.expect('cpu', 'mem', 'memory', 'filedescriptors').text.toLowerCase();
    const what = word.endsWith('cpu') ? 'cpu' : 'memory';
    ts.accept('usage');
    const comparison = ts.comparison(what === 'cpu' ? ['percent', 'none'] : ['percent', 'bytes']);
    const describe = `${total ? 'total ' : ''}${what} ${comparison.op} ${comparison.text}`;
    return { options: { what, total, comparison }, condition: { kind: 'compare', comparison }, describe };
  },
  run(ctx) {
    const o = ctx.options;
    if (o.what === 'filedescriptors') return runFiledescriptors({ ...ctx, options: o });
    const t = ctx.target;
    if (t.pid === undefined || !t.stat) return skipped('process is not running');
    // Totals wait for the cycle's process table; the process's own figures answer at once, so
    // the engine keeps the check synchronous (thousands of `cpu` rules per cycle).
    if (o.total) return runTotal(ctx, o, t.pid, t.stat.rss);
    const c = o.comparison;
    if (o.what === 'cpu') {
      const pct = t.cpuPercent;
      if (pct === undefined) return skipped('cpu usage: waiting for a second sample');
      return usage(c, 'cpu usage', pct, `${pct.toFixed(1)}%`, `${c.value.toFixed(1)}%`, {});
    }
    return memoryUsage(c, '', t.stat.rss, t.memTotal, {});
  },
  // The process's own CPU and memory are the target's (its CPU sampled by `observe`); totals and
  // descriptors read the cycle's process table and /proc.
  steady: (o) => o.what !== 'filedescriptors' && !o.total,
});

/** `total cpu` and `total memory`: the process and every process below it. */
async function runTotal(ctx: ProbeContext<UsageRuleOptions, ProcessTarget>, o: UsageOptions, pid: number, rss: number): Promise<ProbeResult> {
  const c = o.comparison;
  const table = await cycleTable(ctx.cycle);
  if (o.what === 'cpu') {
    const pct = treeCpu(table, pid, ctx.state, ctx.clock.monotonic());
    if (pct === undefined) return skipped('total cpu usage: waiting for a second sample');
    return usage(c, 'total cpu usage', pct, `${pct.toFixed(1)}%`, `${c.value.toFixed(1)}%`, { cpuPercentTotal: round1(pct) });
  }
  const below = descendants(table, pid);
  for (const p of below) rss += table.procs.get(p)?.rss ?? 0;
  return memoryUsage(c, 'total ', rss, ctx.target.memTotal, { children: below.length });
}

/** `mem usage` (percent of `MemTotal`) or `mem amount` (bytes); totals also report their figures. */
function memoryUsage(c: Comparison, prefix: string, rss: number, memTotal: number | undefined, obs: Record<string, Observation>): ProbeResult {
  const pct = memTotal ? (100 * rss) / memTotal : 0;
  if (prefix) {
    obs['memoryKbTotal'] = Math.round(rss / 1024);
    obs['memoryPercentTotal'] = round1(pct);
  }
  if (c.unit === 'percent') return usage(c, `${prefix}mem usage`, pct, `${pct.toFixed(1)}%`, `${c.value.toFixed(1)}%`, obs);
  return usage(c, `${prefix}mem amount`, rss, formatBytes(rss), formatBytes(c.value), obs);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Monit's resource wording: `X of V matches resource limit [X OP L]` or `X check succeeded [current X = V]`. */
function usage(c: Comparison, what: string, value: number, shown: string, limit: string, observations: Record<string, Observation>): ProbeResult {
  const message = compare(value, c.op, c.value)
    ? `${what} of ${shown} matches resource limit [${what} ${c.op} ${limit}]`
    : `${what} check succeeded [current ${what} = ${shown}]`;
  return ok(message, { value, display: shown, observations });
}

/**
 * CPU of the process and everything below it since the last sample (kept in the rule's
 * state): each process counts the time it used since it was last seen; new ones count from
 * their first sample, as in Monit.
 */
function treeCpu(table: ProcessTable, pid: number, state: Record<string, unknown>, now: number): number | undefined {
  const prev = state['ticks'] as Record<string, [number, number]> | undefined;
  const at = state['at'] as number | undefined;
  if (prev && at !== undefined && now - at < MIN_SAMPLE_MS) return state['percent'] as number | undefined;
  const ticks: Record<string, [number, number]> = {};
  let used = 0;
  for (const p of [pid, ...descendants(table, pid)]) {
    const s = table.procs.get(p);
    if (!s) continue;
    ticks[p] = [s.startTicks, s.cpuTicks];
    const before = prev?.[p];
    if (before && before[0] === s.startTicks) used += Math.max(0, s.cpuTicks - before[1]);
  }
  state['ticks'] = ticks;
  state['at'] = now;
  if (!prev || at === undefined) return undefined;
  const percent = (100 * used) / CLOCK_TICKS / ((now - at) / 1000);
  state['percent'] = percent;
  return percent;
}
