import { availableParallelism } from 'node:os';
import { defineTest, readProcFile, type Comparison, type ProbeResult } from '@warden/sdk';
import { parseLoadavg } from './proc.js';
import { DATA_CODES, resourceResult, round1, unavailable } from './resource.js';
import type { SystemTarget } from './target.js';

/** `loadavg [(1min|5min|15min)] [per core] OP N`. */
export interface LoadavgOptions {
  readonly minutes: 1 | 5 | 15;
  readonly perCore: boolean;
  readonly comparison: Comparison;
}

const WINDOWS = [1, 5, 15] as const;

/**
 * `if loadavg [(1min|5min|15min)] [per core] OP N` (Monit C12): the kernel's load average
 * over 1 (default), 5 or 15 minutes, or that divided by the number of online CPUs.
 * `(1m)` is accepted for `(1min)`; `load` is not a keyword (Y01b). Monit accepts it inside
 * `check process` too (the machine's load, not the process's): one test serves both types,
 * reading `/proc/loadavg` itself (once per cycle) where the target is no system's.
 */
export const loadavgTest = defineTest<LoadavgOptions, Partial<SystemTarget>>({
  name: 'system.loadavg',
  summary: 'Load average over 1, 5 or 15 minutes, absolute or per core',
  serviceTypes: ['system', 'process'],
  keywords: ['loadavg'],
  polarities: ['none'],
  event: 'resource',
  codes: DATA_CODES,
  metrics: [
    { name: 'node_load1', help: '1m load average', type: 'gauge' },
    { name: 'node_load5', help: '5m load average', type: 'gauge' },
    { name: 'node_load15', help: '15m load average', type: 'gauge' },
  ],
  parse(ts) {
    ts.expect('loadavg');
    let minutes: LoadavgOptions['minutes'] = 1;
    // `(5min)`: the parentheses are noise and the lexer splits `5min` into 5 and `min`.
    const unit = ts.peek(1);
    if (ts.peek().kind === 'number' && unit.kind === 'word' && ['min', 'm'].includes(unit.text.toLowerCase())) {
      const tok = ts.peek();
      const n = ts.number();
      ts.next();
      minutes = WINDOWS.find((w) => w === n) ?? ts.syntaxError('1min, 5min or 15min', tok);
    }
    const perCore = ts.accept('core') !== undefined;
    const comparison = ts.comparison(['none']);
    return {
      options: { minutes, perCore, comparison },
      condition: { kind: 'compare', comparison },
      describe: `loadavg (${minutes}min)${perCore ? ' per core' : ''} ${comparison.op} ${comparison.text}`,
    };
  },
  run(ctx): ProbeResult {
    const system = ctx.service.type === 'system';
    const load = system ? ctx.target.load : ctx.cycle.memoSync('system:loadavg', readLoadavg);
    const cores = ctx.target.cores ?? Math.max(1, availableParallelism());
    if (!load) return unavailable('load average', '/proc/loadavg');
    // The machine's figures, exported once: by the system service, not by every process.
    if (system) {
      ctx.metrics.set('node_load1', load[0]);
      ctx.metrics.set('node_load5', load[1]);
      ctx.metrics.set('node_load15', load[2]);
    }
    const { minutes, perCore, comparison: c } = ctx.options;
    const raw = load[WINDOWS.indexOf(minutes)]!;
    const value = perCore ? raw / cores : raw;
    const what = `loadavg (${minutes}min)${perCore ? ' per core' : ''}`;
    const observations = { loadavg1: load[0], loadavg5: load[1], loadavg15: load[2], cores, [`loadavg${minutes}PerCore`]: round1(raw / cores) };
    return resourceResult(c, what, value, value.toFixed(1), c.value.toFixed(1), observations);
  },
});

function readLoadavg(): readonly [number, number, number] | undefined {
  const text = readProcFile('/proc/loadavg');
  return text === undefined ? undefined : parseLoadavg(text);
}
