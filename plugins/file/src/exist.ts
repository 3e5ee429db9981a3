import { defineTest, fail, ok, parseExistence, type ProbeResult } from '@warden/sdk';
import { sharedResult } from './shared-result.js';
import type { PathTarget } from './path-target.js';

/** `if [does] not exist` and `if [does] exist` carry no options. */
export type ExistOptions = Record<string, never>;

/**
 * `if [does] not exist` (Monit C1) and `if [does] exist` (C2) for file, fifo and directory
 * services. The probe reports whether the path is there; the rule engine inverts the
 * result for `if exist`, whose events are of class `exist` instead of `nonexist`.
 */
export const existTest = defineTest<ExistOptions, PathTarget>({
  name: 'file.exist',
  summary: 'Whether the path exists',
  serviceTypes: ['file', 'fifo', 'directory'],
  keywords: ['exist', 'not'],
  polarities: ['none'],
  event: 'nonexist',
  codes: {
    'file.missing': 'the path does not exist (or cannot be stat\'ed)',
  },
  parse: (ts) => parseExistence(ts, () => ({})),
  steady: () => true,
  run(ctx) {
    // Monit's words name the service's kind: `file doesn't exist`, `directory exists`.
    const noun = ctx.service.type;
    const { stat, error } = ctx.target;
    if (stat === null) {
      const detail = error ? ` -- ${error}` : '';
      return fail('file.missing', `${noun} doesn't exist${detail}`, { observations: { exists: false } });
    }
    return exists(noun);
  },
});

/** The passing result by service type (see {@link sharedResult}). */
const EXISTS = new Map<string, ProbeResult>();

function exists(noun: string): ProbeResult {
  return sharedResult(EXISTS, noun, () => ok(`${noun} exists`, { observations: { exists: true } }));
}
