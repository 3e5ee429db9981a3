import { defineTest, skipped, ok } from '@warden/sdk';
import type { ProcessTarget } from './target.js';

/** Which id the rule follows. */
export interface PidOptions {
  readonly which: 'pid' | 'ppid';
}

/**
 * `if changed pid` (Monit C3) and `if changed ppid` (C4): the value is the pid (parent pid)
 * and the rule engine reports a change. Core forgets the last value when it starts or restarts
 * the service itself, so warden's own restart is no change, as in Monit.
 */
export const pidTest = defineTest<PidOptions, ProcessTarget>({
  name: 'process.pid',
  summary: 'The pid or parent pid changed',
  serviceTypes: ['process'],
  keywords: ['pid', 'ppid'],
  polarities: ['changed'],
  event: 'pid',
  codes: {},
  parse(ts) {
    const which = ts.expect('pid', 'ppid').text.toLowerCase() as PidOptions['which'];
    return { options: { which }, condition: { kind: 'changed' }, event: which, describe: `changed ${which}` };
  },
  run(ctx) {
    const t = ctx.target;
    const name = ctx.options.which.toUpperCase();
    if (t.pid === undefined || !t.stat) return skipped('process is not running');
    const value = ctx.options.which === 'pid' ? t.pid : t.stat.ppid;
    const last = ctx.state['last'];
    ctx.state['last'] = value;
    const message = last === undefined || last === value ? `process ${name} has not changed since last cycle` : `process ${name} changed from ${String(last)} to ${value}`;
    return ok(message, { value });
  },
  // A second run on the same pid finds it unchanged, and so does every run after.
  steady: () => true,
});
