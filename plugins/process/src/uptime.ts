import { compare, defineTest, ok, skipped, type Comparison } from '@warden/sdk';
import type { ProcessTarget } from './target.js';

/** `uptime OP N [unit]`; the threshold in milliseconds. */
export interface UptimeOptions {
  readonly comparison: Comparison;
}

/** `if uptime OP N [unit]` (Monit C5) on the process: seconds since it started. */
export const uptimeTest = defineTest<UptimeOptions, ProcessTarget>({
  name: 'process.uptime',
  summary: 'Time since the process started',
  serviceTypes: ['process'],
  keywords: ['uptime'],
  polarities: ['none'],
  event: 'uptime',
  codes: {},
  parse(ts) {
    ts.expect('uptime');
    const comparison = ts.comparison(['ms']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `uptime ${comparison.op} ${comparison.text}` };
  },
  run(ctx) {
    const s = ctx.target.uptimeSeconds;
    if (ctx.target.pid === undefined || s === undefined) return skipped('process is not running');
    const c = ctx.options.comparison;
    const value = s * 1000;
    const message = compare(value, c.op, c.value)
      ? `uptime test failed for ${ctx.service.name} -- current uptime is ${s} seconds`
      : `uptime test succeeded [current uptime = ${s} seconds]`;
    return ok(message, { value, display: `${s} seconds` });
  },
});
