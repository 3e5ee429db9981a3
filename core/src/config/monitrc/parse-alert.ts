import { parseMailFormat, type ArrayTokenStream, type EventClass, type MailFormat, type Token } from '@warden/sdk';
import type { AlertRecipient } from '../model.js';
import { alertEventClass } from './alert-events.js';

/**
 * A mail address: one word with an `@` (the lexer joins `user@host.domain`), or the three
 * tokens `user` `@` `host` written without spaces (`root@localhost`).
 */
export function parseAddress(ts: ArrayTokenStream): { address: string; tok: Token } {
  const tok = ts.peek();
  if (tok.kind === 'string' && tok.text.includes('@')) {
    ts.next();
    return { address: tok.text, tok };
  }
  if (tok.kind === 'word') {
    if (tok.text.includes('@')) {
      ts.next();
      return { address: tok.text, tok };
    }
    const mark = ts.mark();
    ts.next();
    const at = ts.peekRaw();
    if (at.kind === 'punct' && at.text === '@' && !at.spaceBefore) {
      ts.nextRaw();
      const host = ts.peekRaw();
      if (host.kind === 'word' && !host.spaceBefore) {
        ts.nextRaw();
        return { address: `${tok.text}@${host.text}`, tok };
      }
    }
    ts.reset(mark);
  }
  return ts.syntaxError('a mail address', tok);
}

/**
 * `ADDR [only] [on] { ev, … } | [but] not [on] { ev, … } [with reminder [on] N [cycles]] [with mail-format { … }]`
 * after `set alert` or a service's `alert` (the noise words are skipped by the stream).
 */
export function parseAlertRecipient(ts: ArrayTokenStream): AlertRecipient {
  const { address, tok } = parseAddress(ts);
  let events: AlertRecipient['events'];
  let reminder: number | undefined;
  let mailFormat: MailFormat | undefined;
  for (;;) {
    if (ts.accept('mail-format')) {
      if (mailFormat) ts.syntaxError();
      mailFormat = parseMailFormat(ts);
      continue;
    }
    if (ts.at('{') || ts.at('not')) {
      if (events) ts.syntaxError();
      const mode = ts.accept('not') ? 'not' : 'only';
      events = { mode, classes: parseEventList(ts) };
      continue;
    }
    if (ts.accept('reminder')) {
      if (reminder !== undefined) ts.syntaxError();
      reminder = ts.integer('a number of cycles');
      ts.accept('cycle', 'cycles');
      continue;
    }
    break;
  }
  return {
    address,
    ...(events ? { events } : {}),
    ...(reminder !== undefined ? { reminder } : {}),
    ...(mailFormat ? { mailFormat } : {}),
    pos: { file: tok.file, line: tok.line },
  };
}

function parseEventList(ts: ArrayTokenStream): EventClass[] {
  ts.expect('{');
  const classes: EventClass[] = [];
  while (!ts.accept('}')) {
    const tok = ts.peek();
    const cls = tok.kind === 'word' ? alertEventClass(tok.text) : undefined;
    if (!cls) ts.syntaxError('an event name', tok);
    ts.next();
    if (!classes.includes(cls)) classes.push(cls);
  }
  return classes;
}
