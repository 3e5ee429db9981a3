import assert from 'node:assert/strict';
import { NOISE_WORDS, tokenize } from './lexer.js';
import { isParseError, type Token } from './tokens.js';

/** `kind:text` of every token but the final eof. */
function kinds(text: string): string[] {
  return tokenize(text, 'f.rc').slice(0, -1).map((t) => `${t.kind}:${t.text}`);
}

function only(text: string): Token {
  const toks = tokenize(text, 'f.rc');
  assert.equal(toks.length, 2, `one token expected in ${JSON.stringify(text)}: ${kinds(text).join(' ')}`);
  return toks[0]!;
}

function lexError(text: string): string {
  try {
    tokenize(text, 'f.rc');
  } catch (err) {
    assert.ok(isParseError(err));
    return String(err);
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('tokenize (Monit lexical rules L1–L14)', () => {
  const table: Array<[string, string, string[]]> = [
    ['L1 free format: newlines are whitespace', 'check\nfile   x\twith path /tmp/x', ['word:check', 'word:file', 'word:x', 'word:with', 'word:path', 'word:/tmp/x']],
    ['L1 `;` and `,` separate', 'a;b,c ; d', ['word:a', 'word:b', 'word:c', 'word:d']],
    ['L1 `(` `)` are punctuation (noise)', '(a)', ['punct:(', 'word:a', 'punct:)']],
    ['L2 `#` comments run to the end of the line', 'a # b c\nd', ['word:a', 'word:d']],
    ['L2 a `#` inside a word belongs to it (Monit)', 'path /srv/a#1 #c', ['word:path', 'word:/srv/a#1']],
    ['L2 CRLF files', 'set daemon 30\r\ncheck x\r\n', ['word:set', 'word:daemon', 'number:30', 'word:check', 'word:x']],
    ['L3 case is kept', 'CHECK Process', ['word:CHECK', 'word:Process']],
    ['L5 both quotes', `"a b" 'c d'`, ['string:a b', 'string:c d']],
    ['L5 a quoted string spans lines', '"a\nb"', ['string:a\nb']],
    ['L5 an empty string', '""', ['string:']],
    ['L7 integers and reals', '80 1.5', ['number:80', 'number:1.5']],
    ['L7 `-5` is a word, not a number', '-5', ['word:-5']],
    ['L7 an IP address is a word', '127.0.0.1', ['word:127.0.0.1']],
    ['L9 glued size units', '100MB 1.5kb 10kb/s', ['number:100', 'word:MB', 'number:1.5', 'word:kb', 'number:10', 'word:kb/s']],
    ['L11 glued time units', '5min 10s 200ms', ['number:5', 'word:min', 'number:10', 'word:s', 'number:200', 'word:ms']],
    ['L9 a number glued to a non-unit stays a word', '3com', ['word:3com']],
    ['L10 percent', '80% 5 percent', ['number:80', 'punct:%', 'number:5', 'word:percent']],
    ['L12 operators', '> >= < <= = == != =~', ['op:>', 'op:>=', 'op:<', 'op:<=', 'op:=', 'op:==', 'op:!=', 'op:=~']],
    ['L12 operators glued to values', 'cpu>80%', ['word:cpu', 'op:>', 'number:80', 'punct:%']],
    ['URLs are kept whole', 'url http://user:pw@host:8080/p?q=1 ok', ['word:url', 'word:http://user:pw@host:8080/p?q=1', 'word:ok']],
    ['mail addresses are merged', 'alert ops@example.com', ['word:alert', 'word:ops@example.com']],
    ['`allow admin:secret` splits at `:` (L8)', 'allow admin:secret', ['word:allow', 'word:admin', 'punct::', 'word:secret']],
    ['`@group` is punctuation then the group', 'allow @admins', ['word:allow', 'punct:@', 'word:admins']],
    ['`user @host` with a space is not merged', 'a @b.c', ['word:a', 'punct:@', 'word:b.c']],
    ['braces', 'only on { timeout, nonexist }', ['word:only', 'word:on', 'punct:{', 'word:timeout', 'word:nonexist', 'punct:}']],
  ];
  for (const [title, text, expected] of table) {
    it(title, () => assert.deepEqual(kinds(text), expected));
  }

  it('flags noise words (L4) and parentheses, but not `if` and `then`', () => {
    const toks = tokenize('if with the ( x ) then and', 'f.rc');
    assert.deepEqual(toks.map((t) => t.noise), [false, true, true, true, false, true, false, true, false]);
    for (const w of ['is', 'as', 'are', 'for', 'via', 'on', 'only', 'with', 'within', 'without', 'program', 'programs', 'usage', 'times', 'options']) {
      assert.ok(NOISE_WORDS.has(w), w);
    }
    assert.ok(!NOISE_WORDS.has('if') && !NOISE_WORDS.has('then'));
    assert.equal(only('WITH').noise, true, 'noise matching is case-insensitive');
  });

  it('keeps the raw spelling of strings for error messages', () => {
    const t = only(`'x y'`);
    assert.equal(t.text, 'x y');
    assert.equal(t.raw, `'x y'`);
  });

  describe('escapes in quoted strings (Monit Util_handleEscapes)', () => {
    const escapes: Array<[string, string]> = [
      [String.raw`"a\nb"`, 'a\nb'],
      [String.raw`"a\tb\rc"`, 'a\tb\rc'],
      [String.raw`"a\\b"`, 'a\\b'],
      [String.raw`"a\ b"`, 'a b'],
      [String.raw`"say \"hi\""`, 'say "hi"'],
      [String.raw`'it\'s'`, "it's"],
      [String.raw`"\0x41\0x42"`, 'AB'],
      [String.raw`"\0x00"`, '\\0x00'],
      [String.raw`"^\d+\.log$"`, '^\\d+\\.log$'],
      [String.raw`'a\"b'`, 'a\\"b'],
    ];
    for (const [src, value] of escapes) {
      it(`${src} → ${JSON.stringify(value)}`, () => assert.equal(only(src).text, value));
    }
  });

  it('reports an unbalanced quote at the line of the opening quote', () => {
    assert.equal(lexError('check file x\n  path "/tmp/x\n'), `f.rc:2: unbalanced quotes '"'`);
    assert.equal(lexError(`a 'b`), `f.rc:1: unbalanced quotes '''`);
    assert.equal(lexError('"ends with a backslash\\'), `f.rc:1: unbalanced quotes '"'`);
  });

  it('gives every token its line and column, also after a multi-line string', () => {
    const toks = tokenize('set daemon 30\n  check "a\nb" x\n\ty # c\nz', 'f.rc');
    const at = toks.map((t) => `${t.text || '<eof>'}@${t.line}:${t.col}`);
    assert.deepEqual(at, ['set@1:1', 'daemon@1:5', '30@1:12', 'check@2:3', 'a\nb@2:9', 'x@3:4', 'y@4:2', 'z@5:1', '<eof>@5:2']);
    assert.ok(toks.every((t) => t.file === 'f.rc'));
  });

  it('positions the unit of a glued number after the number', () => {
    const [n, u] = tokenize('  100MB', 'f.rc');
    assert.deepEqual([n!.col, n!.raw, n!.value, u!.col, u!.raw], [3, '100', 100, 6, 'MB']);
  });

  it('marks whether whitespace came before a token', () => {
    const toks = tokenize('a:b c', 'f.rc');
    assert.deepEqual(toks.slice(0, 4).map((t) => t.spaceBefore), [true, false, false, true]);
  });

  it('ends with an eof token even for empty input', () => {
    const toks = tokenize('# only a comment\n', 'f.rc');
    assert.equal(toks.length, 1);
    assert.equal(toks[0]!.kind, 'eof');
    assert.equal(toks[0]!.line, 2);
  });
});
