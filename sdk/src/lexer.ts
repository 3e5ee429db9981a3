import { ParseError, type Token, type TokenKind } from './tokens.js';
import { sizeUnit, timeUnit } from './units.js';

/**
 * Monit's noise words (reference L4): accepted anywhere and ignored by the grammar.
 * `if` and `then` are real keywords, whatever Monit's manual says.
 */
export const NOISE_WORDS: ReadonlySet<string> = new Set([
  'is', 'as', 'are', 'for', 'via', 'on', 'only', 'with', 'within', 'without', 'program',
  'programs', 'and', 'has', 'using', 'use', 'the', 'to', 'sum', 'than', 'usage', 'was', 'times',
  'but', 'of', 'or', 'does', 'per', 'in', 'last', 'rate', 'capacity', 'activity', 'option',
  'options',
]);

/**
 * Characters that end an unquoted word (reference L5), besides whitespace. `#` is not one:
 * as in Monit it starts a comment only where a token could start (`/srv/a#1` is one path).
 */
const WORD_BREAK = new Set(['@', ':', '{', '}', '"', "'", ';', '(', ')', ',', '%']);
const OP_CHARS = new Set(['<', '>', '=', '!', '~']);
const PUNCT = new Set(['{', '}', ':', '@', '(', ')', '%']);
const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;
const NUMBER = /^\d+(\.\d+)?$/;
const NUMBER_WITH_UNIT = /^(\d+(?:\.\d+)?)([a-z]+(?:\/s)?)$/i;

/**
 * Split control-file text into tokens, Monit's way: free format, `#` comments, `;` and `,`
 * as separators, `(` `)` as noise, quoted strings that may span lines, case kept (matching
 * is case-insensitive). Ends with an `eof` token.
 *
 * Escapes in quoted strings are Monit's (`Util_handleEscapes`): `\n` `\t` `\r` `\\` `\ `
 * and `\0xHH` (except `\0x00`, kept for send/expect); any other backslash is kept as
 * written, so a regular expression such as `"^\d+\.log$"` reaches the plugin intact. Unlike
 * Monit, `\"` inside `"…"` (and `\'` inside `'…'`) puts the quote in the string.
 * Throws {@link ParseError} `unbalanced quotes` for an unterminated string.
 */
export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let space = true;

  const push = (kind: TokenKind, tokText: string, start: number, startLine: number, startCol: number, extra: Partial<Token> = {}) => {
    const raw = text.slice(start, i);
    const lower = tokText.toLowerCase();
    const noise = kind === 'word' ? NOISE_WORDS.has(lower) : kind === 'punct' && (tokText === '(' || tokText === ')');
    tokens.push({ kind, text: tokText, raw, file, line: startLine, col: startCol, offset: start, end: i, spaceBefore: space, noise, ...extra });
    space = false;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      space = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ';' || c === ',' || c === '\f' || c === '\v') {
      i++;
      space = true;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      space = true;
      continue;
    }
    const start = i;
    const startLine = line;
    const startCol = i - lineStart + 1;
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) {
          throw new ParseError({ file, line: startLine }, `unbalanced quotes '${c}'`);
        }
        const d = text[i]!;
        if (d === '\\' && i + 1 < text.length) {
          const [unescaped, used] = unescape(text, i, c);
          value += unescaped;
          i += used;
          continue;
        }
        if (d === c) {
          i++;
          break;
        }
        if (d === '\n') {
          line++;
          lineStart = i + 1;
        }
        value += d;
        i++;
      }
      push('string', value, start, startLine, startCol);
      continue;
    }
    if (OP_CHARS.has(c)) {
      while (i < text.length && OP_CHARS.has(text[i]!)) i++;
      push('op', text.slice(start, i), start, startLine, startCol);
      continue;
    }
    if (PUNCT.has(c)) {
      i++;
      push('punct', c, start, startLine, startCol);
      continue;
    }
    // An unquoted word; a URL runs to the next whitespace.
    const rest = text.slice(i, i + 64);
    if (URL_START.test(rest)) {
      while (i < text.length && !/\s/.test(text[i]!)) i++;
    } else {
      while (i < text.length && !/\s/.test(text[i]!) && !WORD_BREAK.has(text[i]!) && !OP_CHARS.has(text[i]!)) i++;
    }
    const word = text.slice(start, i);
    if (NUMBER.test(word)) {
      push('number', word, start, startLine, startCol, { value: Number(word) });
      continue;
    }
    const glued = NUMBER_WITH_UNIT.exec(word);
    if (glued && (sizeUnit(glued[2]!) !== undefined || timeUnit(glued[2]!) !== undefined)) {
      // `100MB`, `5min`: a number and its unit written together.
      const end = i;
      i = start + glued[1]!.length;
      push('number', glued[1]!, start, startLine, startCol, { value: Number(glued[1]) });
      const unitStart = i;
      i = end;
      push('word', glued[2]!, unitStart, startLine, startCol + glued[1]!.length);
      continue;
    }
    push('word', word, start, startLine, startCol);
  }
  tokens.push({ kind: 'eof', text: '', raw: '', file, line, col: i - lineStart + 1, offset: i, end: i, spaceBefore: true, noise: false });
  return mergeAddresses(tokens);
}

/** The value of the escape at `text[i]` (a backslash) and how many characters it used. */
function unescape(text: string, i: number, quote: string): [string, number] {
  const e = text[i + 1]!;
  switch (e) {
    case 'n': return ['\n', 2];
    case 't': return ['\t', 2];
    case 'r': return ['\r', 2];
    case ' ': return [' ', 2];
    case '\\': return ['\\', 2];
    case quote: return [quote, 2];
  }
  const hex = /^0x([0-9a-f]{2})/i.exec(text.slice(i + 1, i + 5));
  if (hex && hex[1] !== '00') return [String.fromCharCode(parseInt(hex[1]!, 16)), 5];
  // Kept as written; a newline after it is counted by the caller.
  return ['\\', 1];
}

/** Join `user@host.domain` (no spaces around `@`) back into one word: mail addresses. */
function mergeAddresses(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const a = tokens[k]!;
    const at = tokens[k + 1];
    const b = tokens[k + 2];
    if (
      a.kind === 'word' && at?.kind === 'punct' && at.text === '@' && !at.spaceBefore &&
      b?.kind === 'word' && !b.spaceBefore && b.text.includes('.')
    ) {
      out.push({ ...a, kind: 'word', text: `${a.text}@${b.text}`, raw: `${a.raw}@${b.raw}`, end: b.end, noise: false });
      k += 2;
      continue;
    }
    out.push(a);
  }
  return out;
}
