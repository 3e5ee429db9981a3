import { compare, defineTest, ok, skipped, type Comparison } from '@warden/sdk';
import { descendants } from './proc.js';
import { cycleTable, type ProcessTarget } from './target.js';

/** `children OP N`. */
export interface ChildrenOptions {
  readonly comparison: Comparison;
}

/**
 * `if children OP N` (Monit C10): every process below this one in the tree, as Monit counts
 * them. Reads the cycle's shared process table.
 */
export const childrenTest = defineTest<ChildrenOptions, ProcessTarget>({
  name: 'process.children',
  summary: 'Number of child processes (the whole tree below the process)',
  serviceTypes: ['process'],
  keywords: ['children'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  parse(ts) {
    ts.expect('children');
    const comparison = ts.comparison(['none']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `children ${comparison.op} ${comparison.text}` };
  },
  async run(ctx) {
    const pid = ctx.target.pid;
    if (pid === undefined) return skipped('process is not running');
    const n = descendants(await cycleTable(ctx.cycle), pid).length;
    const c = ctx.options.comparison;
    const message = compare(n, c.op, c.value)
      ? `children of ${n} matches resource limit [children ${c.op} ${c.value}]`
      : `children check succeeded [current children = ${n}]`;
    return ok(message, { value: n, observations: { children: n } });
  },
});
