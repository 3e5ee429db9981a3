import { defineTest, fail, ok, parseExistence } from '@warden/sdk';
import type { ProcessTarget } from './target.js';

/** `if [does] not exist` / `if [does] exist` carry no options. */
export type ExistOptions = Record<string, never>;

/**
 * `if [does] not exist` (Monit C1; implicit with `restart`) and `if [does] exist` (C2) for
 * processes. A zombie counts as gone: it will never run again, and waiting for init to reap it
 * (Monit waits, reference R5) only delays the restart.
 */
export const existTest = defineTest<ExistOptions, ProcessTarget>({
  name: 'process.exist',
  summary: 'Whether the process is running',
  serviceTypes: ['process'],
  keywords: ['exist', 'not'],
  polarities: ['none'],
  event: 'nonexist',
  codes: {
    'process.missing': 'no running process: the pidfile is missing or holds a garbage or stale pid, no process matches, or it is a zombie',
  },
  parse: (ts) => parseExistence(ts, () => ({})),
  run(ctx) {
    const t = ctx.target;
    if (t.pid === undefined) return fail('process.missing', 'process is not running', { observations: { pid: -1 } });
    return ok(`process is running with pid ${t.pid}`);
  },
  // The pid alone decides.
  steady: () => true,
});
