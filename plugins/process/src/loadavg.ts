import { availableParallelism } from 'node:os';
import { compare, defineTest, ok, skipped, type Comparison } from '@warden/sdk';
import { readSmall } from './proc.js';
import type { ProcessTarget } from './target.js';

/** `loadavg [(1min|5min|15min)] [per core] OP N`. */
export interface LoadavgOptions {
  readonly minutes: 1 | 5 | 15;
  readonly perCore: boolean;
  readonly comparison: Comparison;
}

const WINDOWS = [1, 5, 15] as const;

/** The three load averages of `/proc/loadavg`. */
export function parseLoadavg(text: string): readonly [number, number, number] | undefined {
  const f = text.split(' ').slice(0, 3).map(Number);
  return f.length === 3 && f.every(Number.isFinite) ? [f[0]!, f[1]!, f[2]!] : undefined;
}

/**
 * `if loadavg [(1min|5min|15min)] [per core] OP N` inside `check process` (Monit C12, which
 * accepts it there): the machine's load average, not the process's. `(1m)` is `(1min)`.
 * `/proc/loadavg` is read once per cycle for every process service.
 */
export const loadavgTest = defineTest<LoadavgOptions, ProcessTarget>({
  name: 'process.loadavg',
  summary: "The machine's load average, checked from a process service",
  serviceTypes: ['process'],
  keywords: ['loadavg'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
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
  async run(ctx) {
    const text = await ctx.cycle.memo('process:loadavg', () => readSmall('/proc/loadavg', 128));
    const load = text === undefined ? undefined : parseLoadavg(text);
    if (!load) return skipped('no data are available for loadavg test -- cannot read /proc/loadavg');
    const { minutes, perCore, comparison: c } = ctx.options;
    const raw = load[WINDOWS.indexOf(minutes)]!;
    const value = perCore ? raw / availableParallelism() : raw;
    const what = `loadavg (${minutes}min)${perCore ? ' per core' : ''}`;
    const shown = value.toFixed(1);
    const message = compare(value, c.op, c.value)
      ? `${what} of ${shown} matches resource limit [${what} ${c.op} ${c.value.toFixed(1)}]`
      : `${what} check succeeded [current ${what} = ${shown}]`;
    return ok(message, { value, display: shown, observations: { load1: load[0], load5: load[1], load15: load[2] } });
  },
});
