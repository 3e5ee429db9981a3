import { defineTest, skipped, type Comparison, type ProbeResult } from '@warden/sdk';
import type { CpuUsage } from './proc.js';
import { DATA_CODES, resourceResult, round1, unavailable } from './resource.js';
import type { SystemTarget } from './target.js';

/** Which part of the CPU time a rule looks at; `total` is Monit's user + system + wait. */
export type CpuPart = 'total' | 'user' | 'system' | 'wait' | 'nice' | 'hardirq' | 'softirq' | 'steal' | 'guest' | 'guestnice';

/** `cpu [usage] [(PART)] OP N%`. */
export interface CpuOptions {
  readonly part: CpuPart;
  readonly comparison: Comparison;
}

/** Every spelling Monit accepts for a part (reference C13). */
const PARTS: Readonly<Record<string, CpuPart>> = {
  user: 'user', us: 'user', usr: 'user',
  system: 'system', sy: 'system', sys: 'system',
  wait: 'wait', wa: 'wait',
  nice: 'nice', hardirq: 'hardirq', softirq: 'softirq', steal: 'steal', guest: 'guest', guestnice: 'guestnice',
};

/**
 * `if cpu [usage] [(user|system|wait|nice|hardirq|softirq|steal|guest|guestnice)] OP N%`
 * (Monit C13): the share of all CPU time over the last cycle, from two samples of
 * `/proc/stat`. Without a part it is user + system + wait, as Monit sums it. The first
 * cycle has one sample only and is skipped, in Monit's words.
 */
export const cpuTest = defineTest<CpuOptions, SystemTarget>({
  name: 'system.cpu',
  summary: 'CPU usage over the last cycle, in total or by kind',
  serviceTypes: ['system'],
  keywords: ['cpu'],
  polarities: ['none'],
  event: 'resource',
  codes: DATA_CODES,
  metrics: [{ name: 'warden_system_cpu_usage_ratio', help: 'Share of CPU time over the last cycle, by mode', type: 'gauge', labels: ['mode'] }],
  parse(ts) {
    ts.expect('cpu');
    const tok = ts.peek();
    const part = tok.kind === 'word' ? PARTS[tok.text.toLowerCase()] : undefined;
    if (part) ts.next();
    const comparison = ts.comparison(['percent']);
    return {
      options: { part: part ?? 'total', comparison },
      condition: { kind: 'compare', comparison },
      describe: `cpu usage${part ? ` (${part})` : ''} ${comparison.op} ${comparison.text}`,
    };
  },
  run(ctx): ProbeResult {
    const { cpu, cpuReadable } = ctx.target;
    const { part, comparison: c } = ctx.options;
    const what = part === 'total' ? 'cpu usage' : `cpu ${part} usage`;
    if (!cpuReadable) return unavailable('cpu usage', '/proc/stat');
    if (!cpu) return skipped(`${what} check skipped (initializing)`);
    for (const mode of ['user', 'nice', 'system', 'iowait', 'hardirq', 'softirq', 'steal', 'guest', 'guestnice'] as const) {
      ctx.metrics.set('warden_system_cpu_usage_ratio', cpu[mode] / 100, { mode });
    }
    const value = valueOf(cpu, part);
    return resourceResult(c, what, value, `${value.toFixed(1)}%`, `${c.value.toFixed(1)}%`, observations(cpu));
  },
});

function valueOf(cpu: CpuUsage, part: CpuPart): number {
  return part === 'total' ? cpu.user + cpu.system + cpu.wait : cpu[part];
}

function observations(cpu: CpuUsage): Record<string, number> {
  return {
    cpuUser: round1(cpu.user), cpuSystem: round1(cpu.system), cpuNice: round1(cpu.nice), cpuWait: round1(cpu.wait),
    cpuHardirq: round1(cpu.hardirq), cpuSoftirq: round1(cpu.softirq), cpuSteal: round1(cpu.steal),
    cpuGuest: round1(cpu.guest), cpuGuestnice: round1(cpu.guestnice),
  };
}
