import assert from 'node:assert/strict';
import { tokenize } from './lexer.js';
import { ArrayTokenStream } from './token-stream.js';
import { isParseError, type Comparison } from './tokens.js';

function ts(text: string): ArrayTokenStream {
  return new ArrayTokenStream(tokenize(text, 'f.rc'));
}

/** The `FILE:LINE: message` a call throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isParseError(err), String(err));
    return String(err);
  }
  throw new Error('expected a ParseError');
}

describe('ArrayTokenStream', () => {
  it('refuses a token array without eof', () => {
    assert.throws(() => new ArrayTokenStream([]), /eof/);
  });

  it('peek and next skip noise words; peekRaw/nextRaw do not', () => {
    const s = ts('if with the port 80');
    assert.equal(s.peek().text, 'if');
    assert.equal(s.peek(1).text, 'port');
    assert.equal(s.peek(2).text, '80');
    assert.equal(s.peek(9).kind, 'eof');
    assert.equal(s.next().text, 'if');
    assert.equal(s.peekRaw().text, 'with');
    assert.equal(s.nextRaw().text, 'with');
    assert.equal(s.next().text, 'port');
    assert.equal(s.next().text, '80');
    assert.equal(s.next().kind, 'eof');
    assert.equal(s.next().kind, 'eof', 'eof is sticky');
    assert.ok(s.atEnd());
  });

  it('at/accept/expect match case-insensitively', () => {
    const s = ts('IF Failed PORT');
    assert.ok(s.at('if'));
    assert.ok(s.at('then', 'IF'));
    assert.equal(s.accept('then'), undefined);
    assert.equal(s.accept('if')!.text, 'IF');
    assert.equal(s.expect('failed', 'succeeded').text, 'Failed');
    assert.equal(thrown(() => s.expect('then', 'else')), `f.rc:1: syntax error 'PORT', expected 'then' or 'else'`);
  });

  it('mark and reset backtrack', () => {
    const s = ts('a b c');
    s.next();
    const m = s.mark();
    s.next();
    s.next();
    s.reset(m);
    assert.equal(s.next().text, 'b');
  });

  describe('operator() accepts every spelling of L12, `=` when omitted', () => {
    const table: Array<[string, string]> = [
      ['>', '>'], ['gt', '>'], ['GREATER', '>'], ['more', '>'], ['older', '>'],
      ['>=', '>='], ['ge', '>='],
      ['<', '<'], ['lt', '<'], ['less', '<'], ['newer', '<'],
      ['<=', '<='], ['le', '<='],
      ['=', '='], ['==', '='], ['eq', '='], ['equal', '='],
      ['!=', '!='], ['ne', '!='], ['notequal', '!='],
    ];
    for (const [word, op] of table) {
      it(`${word} → ${op}`, () => {
        const s = ts(`${word} 5`);
        assert.equal(s.operator(), op);
        assert.equal(s.number(), 5);
      });
    }
    it('omitted → = and nothing consumed', () => {
      const s = ts('5');
      assert.equal(s.operator(), '=');
      assert.equal(s.number(), 5);
    });
  });

  it('number() and integer() refuse what is not one', () => {
    assert.equal(ts('1.5').number(), 1.5);
    assert.equal(thrown(() => ts('abc').number()), `f.rc:1: syntax error 'abc', expected a number`);
    assert.equal(thrown(() => ts('-5').number()), `f.rc:1: syntax error '-5', expected a number`);
    assert.equal(thrown(() => ts('1.5').integer()), `f.rc:1: syntax error '1.5', expected an integer`);
    assert.equal(thrown(() => ts('x').number('a port')), `f.rc:1: syntax error 'x', expected a port`);
    assert.equal(ts('42').integer(), 42);
  });

  describe('size() in bytes for every unit of L9', () => {
    const table: Array<[string, number]> = [
      ['100', 100], ['100 B', 100], ['100 byte', 100], ['2 bytes', 2],
      ['1 kB', 1024], ['1 kilobyte', 1024], ['2 kilobytes', 2048], ['1.5 kb', 1536],
      ['1 MB', 1024 ** 2], ['1 Mb', 1024 ** 2], ['1 megabyte', 1024 ** 2], ['3 megabytes', 3 * 1024 ** 2],
      ['1 GB', 1024 ** 3], ['1 gigabyte', 1024 ** 3], ['2 gigabytes', 2 * 1024 ** 3],
      ['10 kb/s', 10240], ['10 MB/s', 10 * 1024 ** 2], ['100MB', 100 * 1024 ** 2],
    ];
    for (const [text, bytes] of table) {
      it(`${text} = ${bytes}`, () => {
        const s = ts(text);
        assert.equal(s.size(), bytes);
        assert.ok(s.atEnd());
      });
    }
  });

  describe('duration() in ms for every unit of L11, seconds by default', () => {
    const table: Array<[string, number]> = [
      ['5', 5000], ['200 ms', 200], ['1 millisecond', 1], ['2 milliseconds', 2],
      ['5 s', 5000], ['1 second', 1000], ['5 seconds', 5000], ['10s', 10_000],
      ['2 m', 120_000], ['1 minute', 60_000], ['2 minutes', 120_000], ['5min', 300_000],
      ['1 h', 3_600_000], ['1 hour', 3_600_000], ['2 hours', 7_200_000],
      ['1 day', 86_400_000], ['2 days', 172_800_000], ['1 month', 2_592_000_000], ['2 months', 5_184_000_000],
    ];
    for (const [text, ms] of table) {
      it(`${text} = ${ms}`, () => {
        const s = ts(text);
        assert.equal(s.duration(), ms);
        assert.ok(s.atEnd());
      });
    }
    it("an omitted unit means ms with defaultUnit 'ms'", () => assert.equal(ts('250').duration('ms'), 250));
  });

  describe('comparison() picks the unit the test allows', () => {
    const all: Comparison['unit'][] = ['percent', 'bytes', 'ms', 'none'];
    const table: Array<[string, Comparison['unit'][], Comparison]> = [
      ['> 80%', all, { op: '>', value: 80, unit: 'percent', text: '80%' }],
      ['> 80 percent', all, { op: '>', value: 80, unit: 'percent', text: '80%' }],
      ['>= 200 MB', all, { op: '>=', value: 200 * 1024 ** 2, unit: 'bytes', text: '200 MB' }],
      ['gt 100MB', all, { op: '>', value: 100 * 1024 ** 2, unit: 'bytes', text: '100 MB' }],
      ['< 200 ms', all, { op: '<', value: 200, unit: 'ms', text: '200 ms' }],
      ['< 2 seconds', all, { op: '<', value: 2000, unit: 'ms', text: '2 seconds' }],
      ['!= 0', all, { op: '!=', value: 0, unit: 'none', text: '0' }],
      ['5', all, { op: '=', value: 5, unit: 'none', text: '5' }],
      ['> 100', ['bytes'], { op: '>', value: 100, unit: 'bytes', text: '100 B' }],
      ['> 3', ['ms'], { op: '>', value: 3000, unit: 'ms', text: '3 s' }],
      ['> 1.5', ['none'], { op: '>', value: 1.5, unit: 'none', text: '1.5' }],
    ];
    for (const [text, allowed, expected] of table) {
      it(`${text} with [${allowed.join(',')}]`, () => {
        const s = ts(text);
        assert.deepEqual(s.comparison(allowed), expected);
        assert.ok(s.atEnd());
      });
    }
    it('a percent where only bytes are allowed is left for the caller', () => {
      const s = ts('> 80 %');
      assert.deepEqual(s.comparison(['bytes']), { op: '>', value: 80, unit: 'bytes', text: '80 B' });
      assert.equal(s.next().text, '%');
    });
    it('a missing unit where one is required is a syntax error at the unit', () => {
      assert.equal(thrown(() => ts('> 80 then').comparison(['percent'])), `f.rc:1: syntax error 'then', expected a unit (percent)`);
    });
    it('a missing number names it', () => {
      assert.equal(thrown(() => ts('> abc').comparison(all)), `f.rc:1: syntax error 'abc', expected a number`);
    });
  });

  it('string() takes quoted strings, words and numbers', () => {
    const s = ts(`"a b" word 42 {`);
    assert.equal(s.string(), 'a b');
    assert.equal(s.string(), 'word');
    assert.equal(s.string(), '42');
    assert.equal(thrown(() => s.string('a name')), `f.rc:1: syntax error '{', expected a name`);
  });

  it('path() takes absolute paths only (Monit L6)', () => {
    assert.equal(ts('/var/run/x.pid').path(), '/var/run/x.pid');
    assert.equal(ts(`"/a b/c"`).path(), '/a b/c');
    assert.equal(thrown(() => ts('f.txt').path()), `f.rc:1: syntax error 'f.txt', expected an absolute path`);
    assert.equal(thrown(() => ts(`"rel/x"`).path()), `f.rc:1: syntax error '"rel/x"', expected an absolute path`);
  });

  it('errors point at the offending token; at eof the token is empty', () => {
    const s = ts('check file x\n  with path\n');
    assert.deepEqual(s.pos(), { file: 'f.rc', line: 1 });
    s.next(); s.next(); s.next(); s.next();
    assert.deepEqual(s.pos(), { file: 'f.rc', line: 3 }, 'eof is on the last line');
    assert.equal(thrown(() => s.path()), `f.rc:3: syntax error '', expected an absolute path`);
    const t = ts('a\nb');
    const a = t.next();
    assert.equal(thrown(() => t.syntaxError()), `f.rc:2: syntax error 'b'`);
    assert.equal(thrown(() => t.syntaxError('x', a)), `f.rc:1: syntax error 'a', expected x`);
    assert.equal(thrown(() => t.error('unknown group')), `f.rc:2: unknown group 'b'`);
  });
});
