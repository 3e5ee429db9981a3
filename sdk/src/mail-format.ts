import { readFileSync } from 'node:fs';
import type { MailFormat } from './context.js';
import type { Token, TokenStream } from './tokens.js';

const FIELDS: Readonly<Record<string, keyof MailFormat>> = { from: 'from', 'reply-to': 'replyTo', subject: 'subject', message: 'message' };

/** The text of the file a token came from, or undefined when it cannot be read (a test string). */
function sourceOf(tok: Token): string | undefined {
  try {
    const text = readFileSync(tok.file, 'utf8');
    return text.slice(tok.offset, tok.end) === tok.raw ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `{ from: … reply-to: … subject: … message: … }` (reference A14): `from`, `reply-to` and
 * `subject` run to the end of their line, `message` runs verbatim to the next `}` (so it
 * keeps its commas, line breaks and tabs). The values are cut from the file's text by the
 * tokens' offsets; when the text is not a readable file the tokens are joined by spaces.
 */
export function parseMailFormat(ts: TokenStream): MailFormat {
  const open = ts.expect('{');
  const source = sourceOf(open);
  const format: Record<string, string> = {};
  for (;;) {
    const tok = ts.peek();
    if (tok.kind === 'punct' && tok.text === '}') {
      ts.next();
      return format as MailFormat;
    }
    const field = tok.kind === 'word' ? FIELDS[tok.text.toLowerCase()] : undefined;
    const colon = ts.peek(1);
    if (!field || colon.kind !== 'punct' || colon.text !== ':') return ts.syntaxError('from:, reply-to:, subject: or message:', tok);
    ts.next();
    ts.next();
    if (source !== undefined) {
      const brace = source.indexOf('}', colon.end);
      if (brace < 0) return ts.syntaxError("'}'", ts.peek());
      const eol = source.indexOf('\n', colon.end);
      const end = field === 'message' || eol < 0 ? brace : Math.min(eol, brace);
      format[field] = source.slice(colon.end, end).trim();
      while (!ts.atEnd() && ts.peek().offset < end) ts.next();
    } else {
      const words: string[] = [];
      while (!ts.atEnd() && !(ts.peek().kind === 'punct' && ts.peek().text === '}') && !(FIELDS[ts.peek().text.toLowerCase()] && ts.peek(1).text === ':')) {
        words.push(ts.next().raw);
      }
      format[field] = words.join(' ');
    }
  }
}
