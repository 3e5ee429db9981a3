import { compare, defineTest, formatBytes, ok, type Comparison } from '@warden/sdk';
import { isStat, presentStat, type PathTarget } from './path-target.js';

/** `if size OP N [unit]` keeps its threshold; `if changed size` has none. */
export interface SizeOptions {
  readonly comparison?: Comparison;
}

/**
 * `if size OP N [unit]` (Monit C26) and `if changed size` (C27) on a regular file. The
 * rule engine judges `value` (bytes); the message is Monit's for the verdict it will reach.
 * Directories and fifos have no size test (Monit: `syntax error 'size'`, F21).
 */
export const sizeTest = defineTest<SizeOptions, PathTarget>({
  name: 'file.size',
  summary: 'The size of the file',
  serviceTypes: ['file'],
  keywords: ['size'],
  polarities: ['none', 'changed'],
  event: 'size',
  codes: {},
  parse(ts, ctx) {
    ts.expect('size');
    if (ctx.polarity === 'changed') return { options: {}, condition: { kind: 'changed' }, describe: 'changed size' };
    const comparison = ts.comparison(['bytes']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `size ${comparison.op} ${comparison.text}` };
  },
  steady: () => true,
  run(ctx) {
    const stat = presentStat(ctx.target, ctx.service.type);
    if (!isStat(stat)) return stat;
    const size = stat.size;
    const shown = formatBytes(size);
    const extras = { value: size, display: shown, observations: { size } };
    const { comparison } = ctx.options;
    if (!comparison) {
      const previous = ctx.state.lastSize as number | undefined;
      ctx.state.lastSize = size;
      if (previous !== undefined && previous !== size) return ok(`size for ${ctx.target.path} changed to ${shown}`, extras);
      return ok(`size has not changed [current size = ${shown}]`, extras);
    }
    if (compare(size, comparison.op, comparison.value)) {
      return ok(`size test failed for ${ctx.target.path} -- current size is ${shown}`, extras);
    }
    return ok(`size check succeeded [current size = ${shown}]`, extras);
  },
});
