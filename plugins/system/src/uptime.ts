import { compare, defineTest, ok, type Comparison, type ProbeResult } from '@warden/sdk';
import { DATA_CODES, unavailable } from './resource.js';
import type { SystemTarget } from './target.js';

/** `uptime OP N [unit]`; the threshold in milliseconds. */
export interface UptimeOptions {
  readonly comparison: Comparison;
}

/** `if uptime OP N [unit]` (Monit C5) on the machine: seconds since boot (unit defaults to seconds). */
export const uptimeTest = defineTest<UptimeOptions, SystemTarget>({
  name: 'system.uptime',
  summary: 'Time since the machine booted',
  serviceTypes: ['system'],
  keywords: ['uptime'],
  polarities: ['none'],
  event: 'uptime',
  codes: DATA_CODES,
  metrics: [{ name: 'warden_system_uptime_seconds', help: 'Seconds since the machine booted', type: 'gauge' }],
  parse(ts) {
    ts.expect('uptime');
    const comparison = ts.comparison(['ms']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `uptime ${comparison.op} ${comparison.text}` };
  },
  run(ctx): ProbeResult {
    const seconds = ctx.target.uptimeSeconds;
    if (seconds === undefined) return unavailable('uptime', '/proc/uptime');
    ctx.metrics.set('warden_system_uptime_seconds', seconds);
    const whole = Math.floor(seconds);
    const c = ctx.options.comparison;
    const value = whole * 1000;
    const message = compare(value, c.op, c.value)
      ? `uptime test failed for ${ctx.service.name} -- current uptime is ${whole} seconds`
      : `uptime test succeeded [current uptime = ${whole} seconds]`;
    return ok(message, { value, display: `${whole} seconds`, observations: { uptime: whole, bootTime: Math.round(ctx.clock.now() / 1000 - seconds) } });
  },
});
