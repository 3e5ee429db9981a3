import { ParseError, type ArrayTokenStream } from '@warden/sdk';
import { cronParser } from '../cron.js';
import type { Schedule } from '../model.js';

/**
 * `every N cycles`, `every "cron"` or (with `negate`) `not every "cron"`, after `every`
 * (consumed). Cron fields take `* - ,` only, as in Monit 5.33: no `/` steps (reference D12).
 */
export function parseEvery(ts: ArrayTokenStream, negate: boolean): Schedule {
  const tok = ts.peek();
  if (!negate && tok.kind === 'number') {
    const n = ts.integer('a number of cycles');
    ts.expect('cycle', 'cycles');
    if (n < 1) ts.error('The number of cycles must be at least 1', tok);
    return { kind: 'cycles', n };
  }
  if (tok.kind !== 'string') ts.syntaxError(negate ? 'a quoted cron expression' : 'a number of cycles or a quoted cron expression', tok);
  ts.next();
  const expression = tok.text.trim();
  if (!validCron(expression)) {
    // Monit quotes the first field it cannot read: `syntax error '*/5'` (T26, T27).
    const bad = expression.split(/\s+/).find((f) => !/^[0-9*,-]+$/.test(f));
    if (bad !== undefined) throw new ParseError(tok, `syntax error '${bad}', invalid every format`);
    ts.error('invalid every format', tok);
  }
  return { kind: 'cron', expression, negate };
}

function validCron(expression: string): boolean {
  if (expression.split(/\s+/).length !== 5 || expression.includes('/')) return false;
  try {
    cronParser().parse(expression);
    return true;
  } catch {
    return false;
  }
}
