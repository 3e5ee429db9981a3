import { compare, defineTest, ok, skipped, type Comparison } from '@warden/sdk';
import type { ProcessTarget } from './target.js';

/** `threads OP N`. */
export interface ThreadsOptions {
  readonly comparison: Comparison;
}

/** `if threads OP N` (Monit C11): the process's thread count (`num_threads` of its `stat`). */
export const threadsTest = defineTest<ThreadsOptions, ProcessTarget>({
  name: 'process.threads',
  summary: 'Number of threads of the process',
  serviceTypes: ['process'],
  keywords: ['threads'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  parse(ts) {
    ts.expect('threads');
    const comparison = ts.comparison(['none']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `threads ${comparison.op} ${comparison.text}` };
  },
  run(ctx) {
    const stat = ctx.target.stat;
    if (ctx.target.pid === undefined || !stat) return skipped('process is not running');
    const c = ctx.options.comparison;
    const message = compare(stat.threads, c.op, c.value)
      ? `threads of ${stat.threads} matches resource limit [threads ${c.op} ${c.value}]`
      : `threads check succeeded [current threads = ${stat.threads}]`;
    return ok(message, { value: stat.threads, observations: { threads: stat.threads } });
  },
  steady: () => true,
});
