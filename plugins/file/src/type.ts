import { defineTest, fail, ok, skipped, type ProbeResult } from '@warden/sdk';
import { sharedResult } from './shared-result.js';
import { kindFits, type PathTarget } from './path-target.js';

/** `if failed type` carries no options. */
export type TypeOptions = Record<string, never>;

/** Monit's words for a path of the right kind and of the wrong kind, by service type. */
const WORDS: Readonly<Record<string, { readonly bad: string }>> = {
  file: { bad: 'is neither a regular file nor a socket' },
  fifo: { bad: 'is not fifo' },
  directory: { bad: 'is not directory' },
};

/**
 * Whether the path is of the service's kind (Monit's implicit `Invalid type` check, R21):
 * a regular file or a socket for `check file`, a fifo, a directory. Monit has no syntax
 * for it; every path service gets the implicit `if failed type then restart`, and writing
 * that rule yourself (warden's extension) picks another action.
 */
export const typeTest = defineTest<TypeOptions, PathTarget>({
  name: 'file.type',
  summary: 'Whether the path is of the kind the service watches (Invalid type)',
  serviceTypes: ['file', 'fifo', 'directory'],
  keywords: ['type'],
  polarities: ['failed'],
  event: 'invalid',
  codes: {
    'file.invalid-type': 'the path exists but is of another kind (a directory where a file is expected)',
  },
  parse(ts) {
    ts.expect('type');
    return { options: {}, condition: { kind: 'state' }, describe: 'failed type' };
  },
  steady: () => true,
  run(ctx) {
    const type = ctx.service.type;
    const { stat } = ctx.target;
    if (stat === null) return skipped(`${type} doesn't exist`);
    if (!kindFits(type, stat.kind)) {
      return fail('file.invalid-type', WORDS[type]?.bad ?? `is not ${type}`, { observations: { kind: stat.kind } });
    }
    return fits(type, stat.kind);
  },
});

/** The passing result by service type and kind (see {@link sharedResult}). */
const FITS = new Map<string, ProbeResult>();

function fits(type: string, kind: string): ProbeResult {
  return sharedResult(FITS, `${type} ${kind}`, () => ok(type === 'file' ? `is a regular ${kind}` : `is ${type}`, { observations: { kind } }));
}
