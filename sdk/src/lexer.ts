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
const LONGEST_NOISE_WORD = Math.max(...[...NOISE_WORDS].map((w) => w.length));

// What each ASCII character is to the scanner (bit flags; the lexer reads char codes, not
// substrings, because it runs once per character of files with 10,000 services).
const SEPARATOR = 1; // between tokens: whitespace but the newline, `;` and `,` (reference L1)
const OPERATOR = 2; // `<>=!~`, runs of them make one operator
const PUNCTUATION = 4; // `{ } : @ ( ) %`, one token each
/**
 * Ends an unquoted word (reference L5): whitespace, `@ : { } " ' ; ( ) , %` and the operator
 * characters. `#` is not one: as in Monit it starts a comment only where a token could start
 * (`/srv/a#1` is one path).
 */
const WORD_END = 8;
const CLASS = new Uint8Array(128);
for (const c of ' \t\r\f\v;,') CLASS[c.charCodeAt(0)]! |= SEPARATOR;
for (const c of '<>=!~') CLASS[c.charCodeAt(0)]! |= OPERATOR | WORD_END;
for (const c of '{}:@()%') CLASS[c.charCodeAt(0)]! |= PUNCTUATION | WORD_END;
for (const c of ' \t\n\r\f\v"\';,') CLASS[c.charCodeAt(0)]! |= WORD_END;

const NEWLINE = 10;
const HASH = 35;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
const COLON = 58;
const SLASH = 47;
const DOT = 46;

/** A URL scheme (`http`, `svn+ssh`) short enough for Monit's 64-character look-ahead. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]{0,60}$/i;

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
  const length = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let space = true;
  // The index of the last mail address joined, which cannot start another one.
  let joined = -1;

  // Words, operators and punctuation are spelled as written: `raw` shares the text's string.
  const push = (kind: TokenKind, tokText: string, start: number, col: number): void => {
    const noise = kind === 'word' ? isNoiseWord(tokText) : kind === 'punct' && (tokText === '(' || tokText === ')');
    tokens.push({ kind, text: tokText, raw: tokText, file, line, col, offset: start, end: i, spaceBefore: space, noise });
    space = false;
  };
  const pushNumber = (numText: string, start: number, col: number): void => {
    tokens.push({ kind: 'number', text: numText, raw: numText, file, line, col, offset: start, end: start + numText.length, spaceBefore: space, noise: false, value: Number(numText) });
    space = false;
  };
  const pushWord = (start: number, col: number): void => {
    push('word', text.slice(start, i), start, col);
    if (joinAddress(tokens, joined)) joined = tokens.length - 1;
  };

  while (i < length) {
    const c = text.charCodeAt(i);
    const cls = c < 128 ? CLASS[c]! : 0;
    if (c === NEWLINE) {
      i++;
      line++;
      lineStart = i;
      space = true;
      continue;
    }
    if (cls & SEPARATOR || (c >= 128 && isUnicodeSpace(c))) {
      i++;
      space = true;
      continue;
    }
    if (c === HASH) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? length : eol;
      space = true;
      continue;
    }
    const start = i;
    const col = i - lineStart + 1;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const startLine = line;
      let value = '';
      let chunk = ++i;
      for (;;) {
        if (i >= length) throw new ParseError({ file, line: startLine }, `unbalanced quotes '${text[start]}'`);
        const d = text.charCodeAt(i);
        if (d === BACKSLASH && i + 1 < length) {
          const [unescaped, used] = unescape(text, i, text[start]!);
          value += text.slice(chunk, i) + unescaped;
          i += used;
          chunk = i;
          continue;
        }
        if (d === c) break;
        if (d === NEWLINE) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      value += text.slice(chunk, i++);
      // A string's line is where it starts, though it may end lines later.
      tokens.push({ kind: 'string', text: value, raw: text.slice(start, i), file, line: startLine, col, offset: start, end: i, spaceBefore: space, noise: false });
      space = false;
      continue;
    }
    if (cls & OPERATOR) {
      while (i < length && isClass(text.charCodeAt(i), OPERATOR)) i++;
      push('op', text.slice(start, i), start, col);
      continue;
    }
    if (cls & PUNCTUATION) {
      i++;
      push('punct', text[start]!, start, col);
      continue;
    }
    while (i < length && !endsWord(text.charCodeAt(i))) i++;
    if (isUrlStart(text, start, i)) {
      // A URL runs to the next whitespace.
      while (i < length && !isSpace(text.charCodeAt(i))) i++;
      pushWord(start, col);
      continue;
    }
    const numberEnd = c >= 48 && c <= 57 ? scanNumber(text, start, i) : start;
    if (numberEnd === i) {
      pushNumber(text.slice(start, i), start, col);
    } else if (numberEnd > start && isGluedUnit(text, numberEnd, i)) {
      // `100MB`, `5min`: a number and its unit written together.
      pushNumber(text.slice(start, numberEnd), start, col);
      push('word', text.slice(numberEnd, i), numberEnd, col + numberEnd - start);
    } else {
      pushWord(start, col);
    }
  }
  tokens.push({ kind: 'eof', text: '', raw: '', file, line, col: i - lineStart + 1, offset: i, end: i, spaceBefore: true, noise: false });
  return tokens;
}

function isNoiseWord(word: string): boolean {
  if (word.length > LONGEST_NOISE_WORD) return false;
  // Most words are written in lowercase: lowercase only the others (a call per word shows).
  return NOISE_WORDS.has(word) || (!isLowercaseAscii(word) && NOISE_WORDS.has(word.toLowerCase()));
}

/** True when `word` is ASCII without capitals, so that lowercasing would not change it. */
function isLowercaseAscii(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return false;
  }
  return true;
}

function isClass(c: number, cls: number): boolean {
  return c < 128 && (CLASS[c]! & cls) !== 0;
}

/** What `/\s/` matches: ASCII whitespace, the newline and the Unicode spaces. */
function isSpace(c: number): boolean {
  return c < 128 ? c === 32 || (c >= 9 && c <= 13) : isUnicodeSpace(c);
}

/** The non-ASCII characters of `/\s/` (Unicode `Zs`, line and paragraph separators, BOM). */
function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function endsWord(c: number): boolean {
  return c < 128 ? (CLASS[c]! & WORD_END) !== 0 : isUnicodeSpace(c);
}

/** True when the word `text[start, end)` is a scheme followed by `://`. */
function isUrlStart(text: string, start: number, end: number): boolean {
  return (
    text.charCodeAt(end) === COLON && text.charCodeAt(end + 1) === SLASH && text.charCodeAt(end + 2) === SLASH &&
    URL_SCHEME.test(text.slice(start, end))
  );
}

/** The end of the number (`80`, `1.5`) that starts the word `text[start, end)`. */
function scanNumber(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i + 1 < end && text.charCodeAt(i) === DOT && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when `text[start, end)` is a size or time unit (`MB`, `kb/s`, `min`) glued to a number. */
function isGluedUnit(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isAsciiLetter(text.charCodeAt(i))) i++;
  const perSecond = i + 2 === end && text.charCodeAt(i) === SLASH && (text[i + 1] === 's' || text[i + 1] === 'S');
  if (i === start || (i !== end && !perSecond)) return false;
  const unit = text.slice(start, end);
  return sizeUnit(unit) !== undefined || timeUnit(unit) !== undefined;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
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

/**
 * Join `user@host.domain` (no spaces around `@`) back into one word, a mail address, when
 * the word just pushed ends one. A joined address (index `joined`) does not start another.
 */
function joinAddress(tokens: Token[], joined: number): boolean {
  const n = tokens.length;
  const b = tokens[n - 1]!;
  const at = tokens[n - 2];
  const a = tokens[n - 3];
  if (
    !a || a.kind !== 'word' || n - 3 === joined || at!.kind !== 'punct' || at!.text !== '@' || at!.spaceBefore ||
    b.spaceBefore || !b.text.includes('.')
  ) {
    return false;
  }
  tokens.length = n - 3;
  tokens.push({ ...a, text: `${a.text}@${b.text}`, raw: `${a.raw}@${b.raw}`, end: b.end, noise: false });
  return true;
}
