import { readdirSync } from 'node:fs';
import { compare, defineTest, ok, skipped, type Comparison, type CycleContext, type Observation, type ProbeContext, type ProbeResult, type TokenStream } from '@warden/sdk';
import { descendants, readSmall } from './proc.js';
import { cycleTable, type ProcessTarget } from './target.js';

/** `[total] filedescriptors OP N [%]`. */
export interface FiledescriptorsOptions {
  readonly what: 'filedescriptors';
  /** With every process below this one (`total filedescriptors`). */
  readonly total: boolean;
  readonly comparison: Comparison;
}

/** The open-files limits of `/proc/PID/limits`; `Infinity` for `unlimited`. */
export interface FdLimits {
  readonly soft: number;
  readonly hard: number;
}

/** Open descriptors of one process (entries of `/proc/PID/fd`), or undefined when unreadable. */
export function countFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/** The `Max open files` line of `/proc/PID/limits`. */
export function parseFdLimits(text: string): FdLimits | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  const n = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return m ? { soft: n(m[1]!), hard: n(m[2]!) } : undefined;
}

/** `/proc/PID/limits` open-files limits, or undefined. */
export function readFdLimits(pid: number): FdLimits | undefined {
  const text = readSmall(`/proc/${pid}/limits`, 4096);
  return text === undefined ? undefined : parseFdLimits(text);
}

/** The rest of `[total] filedescriptors OP N [%]` after `total` (if any): shared with `total`'s owner. */
export function parseFiledescriptors(ts: TokenStream, total: boolean) {
  ts.expect('filedescriptors');
  const comparison = ts.comparison(['percent', 'none']);
  const options: FiledescriptorsOptions = { what: 'filedescriptors', total, comparison };
  return { options, condition: { kind: 'compare' as const, comparison }, describe: `${total ? 'total ' : ''}filedescriptors ${comparison.op} ${comparison.text}` };
}

/**
 * Open descriptors of the process, or of it and its whole tree, against the rule. Without
 * `total` it answers at once, so the engine keeps the check synchronous.
 */
export function runFiledescriptors(ctx: ProbeContext<FiledescriptorsOptions, ProcessTarget>): ProbeResult | Promise<ProbeResult> {
  const pid = ctx.target.pid;
  if (pid === undefined) return skipped('process is not running');
  const o = ctx.options;
  const own = countFds(pid);
  if (own === undefined) return skipped(`no data are available for ${o.total ? 'total ' : ''}filedescriptors test -- cannot read /proc/${pid}/fd`);
  if (!o.total) return judgeFds(o, pid, own, own);
  return treeFds(ctx.cycle, pid).then((below) => judgeFds(o, pid, own, own + below));
}

/** The result for `open` descriptors (`own` of them the process's) against the rule. */
function judgeFds({ total, comparison: c }: FiledescriptorsOptions, pid: number, own: number, open: number): ProbeResult {
  const what = `${total ? 'total ' : ''}filedescriptors`;
  const observations: Record<string, Observation> = { fdOpen: own };
  if (total) observations['fdOpenTotal'] = open;
  const limits = readFdLimits(pid);
  if (limits) {
    observations['fdSoftLimit'] = Number.isFinite(limits.soft) ? limits.soft : -1;
    observations['fdHardLimit'] = Number.isFinite(limits.hard) ? limits.hard : -1;
  }
  if (c.unit === 'percent') {
    if (!limits || !Number.isFinite(limits.soft) || limits.soft <= 0) return skipped(`no data are available for ${what} test -- no open files limit`, { observations });
    const pct = (100 * open) / limits.soft;
    const shown = `${pct.toFixed(1)}%`;
    const message = compare(pct, c.op, c.value)
      ? `${what} usage of ${shown} matches resource limit [${what} ${c.op} ${c.value.toFixed(1)}%]`
      : `${what} check succeeded [current ${what} = ${open} (${shown} of ${limits.soft} limit)]`;
    return ok(message, { value: pct, display: shown, observations });
  }
  const message = compare(open, c.op, c.value)
    ? `${what} of ${open} matches resource limit [${what} ${c.op} ${c.value}]`
    : `${what} check succeeded [current ${what} = ${open}]`;
  return ok(message, { value: open, observations });
}

/** Descriptors of every process below `pid` (one that vanished or is not ours to read counts 0). */
async function treeFds(cycle: CycleContext, pid: number): Promise<number> {
  let n = 0;
  for (const p of descendants(await cycleTable(cycle), pid)) n += countFds(p) ?? 0;
  return n;
}

/**
 * `if filedescriptors OP N [%]` (Monit C19) on a process: the descriptors it has open
 * (`/proc/PID/fd`), or their percentage of its soft `RLIMIT_NOFILE` (`/proc/PID/limits`).
 * `total filedescriptors` adds the whole tree below it; the `total` word belongs to
 * `process.usage`, which hands that rule to the functions here.
 */
export const filedescriptorsTest = defineTest<FiledescriptorsOptions, ProcessTarget>({
  name: 'process.filedescriptors',
  summary: 'Open file descriptors of the process (or with its children), or percent of its limit',
  serviceTypes: ['process'],
  keywords: ['filedescriptors'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  parse: (ts) => parseFiledescriptors(ts, false),
  run: runFiledescriptors,
});
