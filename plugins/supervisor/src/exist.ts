import { defineTest, fail, ok, parseExistence } from '@warden/sdk';
import type { JobTarget } from './job-type.js';

/** `if [does] not exist` and `if [does] exist` carry no options. */
export type JobExistOptions = Record<string, never>;

/**
 * `if [does] not exist` for jobs: fails while a job that should run is not running (in its
 * 10-s backoff, or unable to start). A job that is disabled, held by a `wait` job, or done
 * for good (`once`, exit 33) is not expected to run and passes.
 */
export const jobExistTest = defineTest<JobExistOptions, JobTarget>({
  name: 'supervisor.exist',
  summary: 'Whether the job is running',
  serviceTypes: ['job'],
  keywords: ['exist', 'not'],
  polarities: ['none'],
  event: 'nonexist',
  codes: {
    'supervisor.not-running': 'the job should run but is not running (backoff, cannot start)',
  },
  parse: (ts) => parseExistence(ts, () => ({})),
  run(ctx) {
    const t = ctx.target;
    const observations = { pid: t.pid ?? 0, restarts: t.restarts, phase: t.phase };
    if (t.running) return ok(`job is running with pid ${t.pid}`, { observations });
    if (t.phase === 'disabled' || t.phase === 'done' || t.phase === 'waiting') return ok(`job is ${t.phase}`, { observations });
    const last = t.lastExit;
    const why = last ? ` -- last exit: ${last.signal ? `signal ${last.signal}` : `status ${last.status}`}` : '';
    return fail('supervisor.not-running', `job is not running${why}`, { observations });
  },
});
