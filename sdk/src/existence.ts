import type { ParsedTest } from './define.js';
import type { TokenStream } from './tokens.js';

/**
 * The words of every service type's existence test (Monit C1, C2): `[does] not exist` (events
 * of class `nonexist`; the probe's failure fails the rule) or `exist` (class `exist`; the rule
 * engine inverts the probe). `options` builds the rule's options from which of the two it is.
 */
export function parseExistence<O>(ts: TokenStream, options: (exist: boolean) => O): ParsedTest<O> {
  if (ts.accept('not')) {
    ts.expect('exist');
    return { options: options(false), condition: { kind: 'state' }, event: 'nonexist', describe: 'does not exist' };
  }
  ts.expect('exist');
  return { options: options(true), condition: { kind: 'state', invert: true }, event: 'exist', describe: 'exist' };
}
