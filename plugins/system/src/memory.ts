import { defineTest, formatBytes, type Comparison, type ProbeResult, type TestDefinition } from '@warden/sdk';
import { DATA_CODES, resourceResult, round1, unavailable } from './resource.js';
import type { SystemTarget } from './target.js';

/** `memory|swap [usage] OP N (%|unit)`. */
export interface MemoryOptions {
  readonly comparison: Comparison;
}

/**
 * `if mem[ory] [usage] OP N (%|unit)` (Monit C8, C14) on the machine's used memory
 * (`MemTotal − MemAvailable`, see proc.ts), in percent of `MemTotal` or in bytes.
 */
export const memoryTest = usageTest('memory', ['memory', 'mem'], 'mem');

/** `if swap [usage] OP N (%|unit)` (Monit C14): `SwapTotal − SwapFree`; 0% without swap. */
export const swapTest = usageTest('swap', ['swap'], 'swap');

function usageTest(kind: 'memory' | 'swap', keywords: string[], word: string): TestDefinition<MemoryOptions, SystemTarget> {
  return defineTest<MemoryOptions, SystemTarget>({
    name: `system.${kind}`,
    summary: `Used ${kind}, in percent or bytes`,
    serviceTypes: ['system'],
    keywords,
    polarities: ['none'],
    event: 'resource',
    codes: DATA_CODES,
    metrics: [
      { name: `warden_system_${kind}_used_bytes`, help: `Used ${kind} in bytes, as Monit computes it`, type: 'gauge' },
      { name: `warden_system_${kind}_total_bytes`, help: `Total ${kind} in bytes`, type: 'gauge' },
    ],
    parse(ts) {
      ts.expect(...keywords);
      const comparison = ts.comparison(['percent', 'bytes']);
      return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `${kind} usage ${comparison.op} ${comparison.text}` };
    },
    run(ctx): ProbeResult {
      const m = ctx.target.memory;
      if (!m) return unavailable(`${kind} usage`, '/proc/meminfo');
      const total = kind === 'memory' ? m.memoryTotal : m.swapTotal;
      const used = kind === 'memory' ? m.memoryUsed : m.swapUsed;
      ctx.metrics.set(`warden_system_${kind}_used_bytes`, used);
      ctx.metrics.set(`warden_system_${kind}_total_bytes`, total);
      const pct = total > 0 ? (100 * used) / total : 0;
      const observations = { [`${kind}Used`]: used, [`${kind}Total`]: total, [`${kind}UsagePercent`]: round1(pct) };
      const c = ctx.options.comparison;
      if (c.unit === 'percent') return resourceResult(c, `${word} usage`, pct, `${pct.toFixed(1)}%`, `${c.value.toFixed(1)}%`, observations);
      return resourceResult(c, `${word} amount`, used, formatBytes(used), formatBytes(c.value), observations);
    },
  });
}
