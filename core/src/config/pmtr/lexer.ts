import { ParseError } from '@warden/sdk';

/**
 * pmtr.conf's words (pmtr's `tok.c`): whitespace is space, tab, CR and LF; `#` at the start
 * of a token comments to the end of the line; a token starting with `"` runs to the next `"`
 * on the same line (no escapes). The option words and `}` are keywords only as the first
 * token of a line; `{`, `on`, `to` and `every` are keywords anywhere.
 */
export interface PmtrToken {
  readonly kind: 'keyword' | 'word' | 'string' | 'eof';
  readonly text: string;
  readonly line: number;
  /** First token on its line. */
  readonly lineStart: boolean;
}

/** Keywords when they start a line. */
export const LINE_KEYWORDS: ReadonlySet<string> = new Set([
  'job', 'name', 'user', 'cmd', 'env', 'dir', 'out', 'err', 'in', 'order', 'disable', 'wait', 'once',
  'listen', 'report', 'bounce', 'depends', 'ulimit', 'nice', 'cpu', '}',
]);

/** Keywords wherever they are. */
export const ALWAYS_KEYWORDS: ReadonlySet<string> = new Set(['{', 'on', 'to', 'every']);

/** pmtr reads the whole file and refuses one larger than this. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

const SPACE = new Set([' ', '\t', '\r', '\n']);

/** Split pmtr.conf text into tokens; an unterminated quote is `syntax error in FILE line N`. */
export function lexPmtr(text: string, file: string): PmtrToken[] {
  const tokens: PmtrToken[] = [];
  let line = 1;
  let lineStart = true;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.has(c)) {
      if (c === '\n') {
        line++;
        lineStart = true;
      }
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const eol = text.indexOf('\n', i + 1);
      if (close < 0 || (eol >= 0 && eol < close)) {
        throw new ParseError({ file, line }, "parse failed: syntax error (a quoted string must end on its line)");
      }
      tokens.push({ kind: 'string', text: text.slice(i + 1, close), line, lineStart });
      lineStart = false;
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !SPACE.has(text[j]!)) j++;
    const word = text.slice(i, j);
    const keyword = ALWAYS_KEYWORDS.has(word) || (lineStart && LINE_KEYWORDS.has(word));
    tokens.push({ kind: keyword ? 'keyword' : 'word', text: word, line, lineStart });
    lineStart = false;
    i = j;
  }
  tokens.push({ kind: 'eof', text: '', line, lineStart: true });
  return tokens;
}
