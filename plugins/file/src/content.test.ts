import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observeOnce, parseTest, runProbe } from '@warden/sdk/testing';
import { contentTest } from './content.js';
import { readNewLines, type ContentCursor } from './content-reader.js';
import { fileService } from './service-types.js';

describe('file.content', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'warden-content-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('parse', () => {
    it('reads `content = "RE"`, `content != "RE"` and `match "RE"` as change rules of class content', () => {
      const eq = parseTest(contentTest, 'content = "^panic"');
      assert.deepEqual(eq.options, { patterns: ['^panic'], negate: false });
      assert.deepEqual(eq.condition, { kind: 'changed' });
      assert.equal(eq.describe, 'content = "^panic"');
      assert.equal(parseTest(contentTest, 'content != "^OK"').options.negate, true);
      assert.deepEqual(parseTest(contentTest, 'match "ERROR|WARNING"').options.patterns, ['ERROR|WARNING']);
    });

    it('reads a pattern file, one expression per line (C29)', () => {
      const list = join(dir, 'patterns');
      writeFileSync(list, '# comment\n^a\n\nb$\n');
      assert.deepEqual(parseTest(contentTest, `content = ${list}`).options.patterns, ['^a', 'b$']);
    });

    it('rejects a bad expression with Monit\'s message (F14) and a bad operator', () => {
      assert.throws(() => parseTest(contentTest, 'content = "(["'), /Regex parsing error: Invalid regular expression '"\(\["'/);
      assert.throws(() => parseTest(contentTest, 'content > "x"'), /syntax error '>', expected '=' or '!='/);
    });
  });

  describe('readNewLines', () => {
    const signal = new AbortController().signal;
    const read = async (path: string, cursor: ContentCursor | undefined, limits?: Parameters<typeof readNewLines>[4]) => {
      const lines: string[] = [];
      const out = await readNewLines(path, cursor, (l) => lines.push(l), signal, limits);
      return { lines, ...out };
    };

    it('starts at the end, then reads only complete appended lines (R23)', async () => {
      const log = join(dir, 'a.log');
      writeFileSync(log, 'old line\n');
      const first = await read(log, undefined);
      assert.deepEqual(first.lines, []);
      assert.equal(first.note, 'start');
      assert.equal(first.cursor.offset, 9);
      appendFileSync(log, 'one\ntwo\npart');
      const second = await read(log, first.cursor);
      assert.deepEqual(second.lines, ['one', 'two']);
      assert.equal(second.cursor.offset, 17, 'the unterminated line waits');
      appendFileSync(log, 'ial\n');
      assert.deepEqual((await read(log, second.cursor)).lines, ['partial']);
    });

    it('rewinds after truncation and after rotation (new inode)', async () => {
      const log = join(dir, 'b.log');
      writeFileSync(log, 'aaaa\nbbbb\n');
      const start = (await read(log, undefined)).cursor;
      truncateSync(log, 0);
      appendFileSync(log, 'new\n');
      const truncated = await read(log, start);
      assert.equal(truncated.note, 'rewind');
      assert.deepEqual(truncated.lines, ['new']);
      renameSync(log, `${log}.1`);
      writeFileSync(log, 'rotated\n');
      const rotated = await read(log, truncated.cursor);
      assert.deepEqual(rotated.lines, ['rotated']);
    });

    it('judges the first 511 bytes of a long line and skips the rest', async () => {
      const log = join(dir, 'c.log');
      writeFileSync(log, '');
      const start = (await read(log, undefined)).cursor;
      appendFileSync(log, `${'x'.repeat(2000)}END\nnext\n`);
      const out = await read(log, start, { maxLineBytes: 511, maxReadBytes: 1 << 20, chunkBytes: 64 });
      assert.deepEqual(out.lines.map((l) => l.length), [511, 4]);
    });

    it('bounds one cycle\'s read and goes on from there next cycle, even inside one endless line', async () => {
      const log = join(dir, 'd.log');
      writeFileSync(log, '');
      const start = (await read(log, undefined)).cursor;
      appendFileSync(log, 'z'.repeat(3000));
      const limits = { maxLineBytes: 511, maxReadBytes: 1000, chunkBytes: 256 };
      const first = await read(log, start, limits);
      assert.equal(first.note, 'limit');
      assert.equal(first.cursor.offset, 1000);
      assert.deepEqual(first.lines.map((l) => l.length), [511]);
      appendFileSync(log, '\nafter\n');
      let cursor = first.cursor;
      const seen: string[] = [];
      for (let i = 0; i < 5 && cursor.offset < 3007; i++) {
        const next = await read(log, cursor, limits);
        seen.push(...next.lines);
        cursor = next.cursor;
      }
      assert.deepEqual(seen, ['after'], 'the rest of the endless line is skipped, not judged again');
    });
  });

  describe('run', () => {
    it('raises a change each cycle that appended matching lines, and is quiet otherwise', async () => {
      const log = join(dir, 'app.log');
      writeFileSync(log, 'panic: before start\n');
      const options = parseTest(contentTest, 'content = "^panic"').options;
      const state = {};
      const cycle = async () => {
        const { target } = await observeOnce(fileService, { path: log });
        return runProbe(contentTest, { options, target: target!, state, service: { name: 'app', type: 'file' } });
      };
      const first = await cycle();
      assert.equal(first.result.message, "content doesn't match");
      assert.equal(first.result.value, 0);
      assert.ok(first.log.lines.some((l) => l.message === 'seeking to the end of the file'));
      appendFileSync(log, 'ok\npanic: disk\npanic: again\n');
      const second = await cycle();
      assert.equal(second.result.message, 'content match: panic: disk | panic: again');
      assert.equal(second.result.value, 1);
      appendFileSync(log, 'fine\n');
      assert.equal((await cycle()).result.value, 1, 'same value: no change event');
      appendFileSync(log, 'panic: third\n');
      assert.equal((await cycle()).result.value, 2);
    });

    it('`content !=` counts the lines that do not match', async () => {
      const log = join(dir, 'neg.log');
      writeFileSync(log, '');
      const options = parseTest(contentTest, 'content != "^OK"').options;
      const state = {};
      const observe = async () => (await observeOnce(fileService, { path: log })).target!;
      await runProbe(contentTest, { options, target: await observe(), state });
      appendFileSync(log, 'OK 1\nFAIL 2\nOK 3\n');
      const { result } = await runProbe(contentTest, { options, target: await observe(), state });
      assert.equal(result.message, 'content match: FAIL 2');
    });

    it('does not open the file when the service\'s stat shows nothing appended', async () => {
      const log = join(dir, 'quiet.log');
      writeFileSync(log, 'x\n');
      const options = parseTest(contentTest, 'content = "x"').options;
      const state = {};
      const { target } = await observeOnce(fileService, { path: log });
      await runProbe(contentTest, { options, target: target!, state });
      rmSync(log);
      // Were it opened, the missing file would be an error.
      const { result } = await runProbe(contentTest, { options, target: target!, state });
      assert.equal(result.status, 'ok');
      assert.equal(result.message, "content doesn't match");
    });

    it('reports an unreadable file as an error, as Monit logs it without an event', async () => {
      const options = parseTest(contentTest, 'content = "x"').options;
      const target = { path: join(dir, 'sub-is-gone', 'x.log'), stat: { mode: 0o100644, uid: 0, gid: 0, size: 1, atimeMs: 0, mtimeMs: 0, ctimeMs: 0, ino: 1, kind: 'file' as const } };
      const { result } = await runProbe(contentTest, { options, target });
      assert.equal(result.status, 'error');
      assert.equal(result.code, 'file.unreadable');
      assert.match(result.message, /^cannot read file .*x\.log: ENOENT/);
    });
  });
});
