import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMALL_FILE_BYTES, type Polarity, type ProbeResult } from '@warden/sdk';
import { CapturedLogger, parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { checksumTest, type FileTarget } from './checksum.js';
import { hashFile } from './hash-file.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** The `file` service's target, built the way its `observe` builds it. */
function target(path: string): FileTarget {
  const st = statSync(path);
  return { path, stat: { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, kind: st.isFile() ? 'file' : 'directory' } };
}

describe('checksum.checksum', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'warden-checksum-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const parse = (text: string, polarity: Polarity) => parseTest(checksumTest, text, { polarity, serviceName: 'f' });

  describe('parse', () => {
    it('reads the changed and failed forms, MD5 by default', () => {
      const changed = parse('checksum', 'changed');
      assert.deepEqual(changed.options, { test: 'changed', algorithm: 'md5', paranoid: false });
      assert.deepEqual(changed.condition, { kind: 'changed' });
      assert.equal(changed.describe, 'changed md5 checksum');
      assert.equal(parse('sha1 checksum', 'changed').options.algorithm, 'sha1');
      assert.deepEqual(parse('checksum', 'failed').condition, { kind: 'state' });
    });

    it('guesses the algorithm from the length of the expected digest (`and expect the sum` being noise)', () => {
      const m = 'd41d8cd98f00b204e9800998ecf8427e';
      assert.deepEqual(parse(`checksum and expect the sum ${m}`, 'failed').options, { test: 'failed', algorithm: 'md5', expect: m, paranoid: false });
      assert.equal(parse('checksum expect DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'failed').options.algorithm, 'sha1');
      assert.equal(parse(`sha256 checksum expect ${'a'.repeat(64)}`, 'failed').options.algorithm, 'sha256');
      assert.equal(parse(`checksum expect "${'1'.repeat(32)}"`, 'failed').options.expect, '1'.repeat(32));
      // All digits, or digits then a unit word, lex as numbers: the digest is put back together.
      assert.equal(parse(`checksum expect ${'1'.repeat(32)}`, 'failed').options.expect, '1'.repeat(32));
      assert.equal(parse(`checksum expect ${'1'.repeat(31)}b`, 'failed').options.expect, `${'1'.repeat(31)}b`);
    });

    it('rejects a digest of the wrong length or kind (Monit F06)', () => {
      assert.throws(() => parse('md5 checksum expect abc123', 'failed'), /Invalid checksum \[abc123\] for service f 'abc123'/);
      assert.throws(() => parse(`md5 checksum expect ${'a'.repeat(40)}`, 'failed'), /Invalid checksum/);
      assert.throws(() => parse(`checksum expect ${'g'.repeat(32)}`, 'failed'), /Invalid checksum/);
    });

    it('takes `paranoid` before or after the digest', () => {
      assert.equal(parse('checksum paranoid', 'changed').options.paranoid, true);
      assert.equal(parse(`checksum expect ${'a'.repeat(32)} paranoid`, 'failed').options.paranoid, true);
      assert.equal(parse('sha1 checksum paranoid', 'changed').describe, 'changed sha1 checksum paranoid');
    });

    it('leaves `expect` after a changed rule to the rule parser (a syntax error there)', () => {
      assert.throws(() => parse(`checksum expect ${'a'.repeat(32)}`, 'changed'), /syntax error 'expect'/);
    });
  });

  describe('run', () => {
    it('reports each new digest for `changed`, in Monit\'s words', async () => {
      const file = join(dir, 'conf');
      writeFileSync(file, 'one');
      const options = parse('checksum', 'changed').options;
      const state = {};
      const first = await runProbe(checksumTest, { options, target: target(file), state });
      assert.equal(first.result.value, md5('one'));
      assert.equal(first.result.message, 'checksum has not changed');
      assert.ok(first.log.lines.some((l) => l.level === 'debug' && l.message === `checksum ${md5('one')}`));
      writeFileSync(file, 'two');
      const second = await runProbe(checksumTest, { options, target: target(file), state });
      assert.equal(second.result.message, `checksum changed to ${md5('two')}`);
      assert.deepEqual(second.result.observations, { checksum: md5('two'), checksumType: 'MD5' });
    });

    it('compares with the expected digest, or with the first one computed', async () => {
      const file = join(dir, 'fixed');
      writeFileSync(file, 'abc');
      const good = await runProbe(checksumTest, { options: parse(`checksum expect ${md5('abc')}`, 'failed').options, target: target(file) });
      assert.equal(good.result.status, 'ok');
      assert.equal(good.result.message, 'checksum is valid');
      const bad = await runProbe(checksumTest, { options: parse(`checksum expect ${md5('xyz')}`, 'failed').options, target: target(file) });
      assert.equal(bad.result.status, 'failed');
      assert.equal(bad.result.code, 'checksum.mismatch');
      assert.equal(bad.result.message, `checksum failed, expected ${md5('xyz')} got ${md5('abc')}`);
      const options = parse('checksum', 'failed').options;
      const state = {};
      assert.equal((await runProbe(checksumTest, { options, target: target(file), state })).result.status, 'ok');
      writeFileSync(file, 'abcd');
      assert.equal((await runProbe(checksumTest, { options, target: target(file), state })).result.code, 'checksum.mismatch');
    });

    it('reuses the digest while size, mtime, ctime and inode stand still, unless paranoid', async () => {
      const file = join(dir, 'gated');
      writeFileSync(file, 'first');
      const frozen = target(file);
      const state = {};
      const options = parse('checksum', 'changed').options;
      await runProbe(checksumTest, { options, target: frozen, state });
      // Same length, and the stat handed in is the old one: the gate trusts it.
      writeFileSync(file, 'secnd');
      assert.equal((await runProbe(checksumTest, { options, target: frozen, state })).result.value, md5('first'));
      const paranoid = parse('checksum paranoid', 'changed').options;
      assert.equal((await runProbe(checksumTest, { options: paranoid, target: frozen, state })).result.value, md5('secnd'));
      assert.equal((await runProbe(checksumTest, { options, target: target(file), state: {} })).result.value, md5('secnd'));
    });

    it('hashing every cycle, a digest that stays gives the same result; a return to an old digest is a change', async () => {
      const file = join(dir, 'paranoid-back');
      const run = async (options: ReturnType<typeof parse>['options'], content: string, state: Record<string, unknown>) => {
        writeFileSync(file, content);
        const { result, log } = await runProbe(checksumTest, { options, target: target(file), state });
        assert.ok(log.lines.some((l) => l.level === 'debug' && l.message === `checksum ${md5(content)}`), 'the debug line every cycle');
        return result;
      };
      const changed = parse('checksum paranoid', 'changed').options;
      const state = {};
      const a1 = await run(changed, 'aaa', state);
      const a2 = await run(changed, 'aaa', state);
      assert.equal(a2.message, 'checksum has not changed');
      assert.equal(a2, await run(changed, 'aaa', state), 'the same digest: the same result object');
      assert.equal(a1.message, 'checksum has not changed');
      assert.equal((await run(changed, 'bbb', state)).message, `checksum changed to ${md5('bbb')}`);
      assert.equal((await run(changed, 'aaa', state)).message, `checksum changed to ${md5('aaa')}`);
      assert.equal((await run(changed, 'aaa', state)).message, 'checksum has not changed');
      assert.equal((await run(changed, 'bbb', state)).message, `checksum changed to ${md5('bbb')}`);

      const failed = parse('checksum paranoid', 'failed').options;
      const fstate = {};
      assert.equal((await run(failed, 'aaa', fstate)).status, 'ok');
      const bad = await run(failed, 'bbb', fstate);
      assert.equal(bad.message, `checksum failed, expected ${md5('aaa')} got ${md5('bbb')}`);
      assert.equal(await run(failed, 'bbb', fstate), bad);
      assert.equal((await run(failed, 'aaa', fstate)).message, 'checksum is valid');
    });

    it('is steady unless paranoid: on the same stat, a third run repeats the second and reads nothing', async () => {
      assert.equal(checksumTest.steady?.(parse('checksum paranoid', 'changed').options), false);
      for (const [text, polarity] of [['checksum', 'changed'], ['checksum', 'failed'], [`checksum expect ${md5('x')}`, 'failed']] as const) {
        const options = parse(text, polarity).options;
        assert.equal(checksumTest.steady?.(options), true, text);
        const file = join(dir, `steady-${polarity}-${text.length}`);
        writeFileSync(file, 'before');
        const state: Record<string, unknown> = {};
        await runProbe(checksumTest, { options, target: target(file), state });
        writeFileSync(file, 'after!!');
        const moved = target(file);
        await runProbe(checksumTest, { options, target: moved, state });
        const second: ProbeResult = (await runProbe(checksumTest, { options, target: moved, state })).result;
        const kept = structuredClone(state);
        // The file changes behind an unmoved stat: a steady run must not look (no I/O of its own).
        writeFileSync(file, 'AFTER!!');
        assert.deepEqual((await runProbe(checksumTest, { options, target: moved, state })).result, second, text);
        assert.deepEqual(state, kept, text);
      }
    });

    it('hashes a small file at once, with no promise, and streams one that grew past the limit since its stat', async () => {
      const options = parse('checksum', 'changed').options;
      const small = join(dir, 'small');
      writeFileSync(small, 'tiny');
      const { result } = await runProbe(checksumTest, { options, target: target(small) });
      assert.equal(result.value, md5('tiny'));
      const quick = checksumTest.run({ options, target: target(small), state: {}, cycle: testCycle(), log: new CapturedLogger() } as never);
      assert.equal(typeof (quick as { then?: unknown }).then, 'undefined', 'answered synchronously');
      const grown = join(dir, 'grown');
      writeFileSync(grown, 'x');
      const stale = target(grown);
      const big = Buffer.alloc(SMALL_FILE_BYTES + 10, 7);
      writeFileSync(grown, big);
      const later = await runProbe(checksumTest, { options, target: stale });
      assert.equal(later.result.value, createHash('md5').update(big).digest('hex'));
    });

    it('hashes a file once per cycle for the rules of its service (one target), again the next cycle', async () => {
      const file = join(dir, 'shared');
      writeFileSync(file, 'AAAA');
      const t = target(file);
      const changed = parse('checksum paranoid', 'changed').options;
      const failed = parse('checksum paranoid', 'failed').options;
      const cycle = testCycle();
      assert.equal((await runProbe(checksumTest, { options: changed, target: t, cycle })).result.value, md5('AAAA'));
      writeFileSync(file, 'BBBB');
      assert.equal((await runProbe(checksumTest, { options: failed, target: t, cycle })).result.value, md5('AAAA'), 'the same cycle: the pass already made');
      assert.equal((await runProbe(checksumTest, { options: failed, target: t, cycle: testCycle() })).result.value, md5('BBBB'));
    });

    it('skips a missing path or a directory (the existence and type tests speak then)', async () => {
      const options = parse('checksum', 'changed').options;
      assert.equal((await runProbe(checksumTest, { options, target: { path: '/nope', stat: null } })).result.status, 'skipped');
      mkdirSync(join(dir, 'd'));
      assert.equal((await runProbe(checksumTest, { options, target: target(join(dir, 'd')) })).result.status, 'skipped');
    });

    it('cannot read the file: a failure for `failed`, an error for `changed`', async () => {
      const t: FileTarget = { path: join(dir, 'vanished'), stat: { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, kind: 'file' } };
      const failed = await runProbe(checksumTest, { options: parse('checksum', 'failed').options, target: t });
      assert.equal(failed.result.status, 'failed');
      assert.equal(failed.result.code, 'checksum.unreadable');
      assert.match(failed.result.message, /^cannot compute checksum for .*vanished -- ENOENT/);
      const changed = await runProbe(checksumTest, { options: parse('checksum', 'changed').options, target: t });
      assert.equal(changed.result.status, 'error');
    });
  });

  describe('hashFile', () => {
    it('matches md5sum, sha1sum and sha256sum on a file larger than its buffers', async () => {
      const file = join(dir, 'big');
      const data = Buffer.alloc(3 * 65536 + 123);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
      writeFileSync(file, data);
      const [m, s1, s256] = await hashFile(file, ['md5', 'sha1', 'sha256'], undefined, 65536);
      const tool = (cmd: string) => execFileSync(cmd, [file], { encoding: 'utf8' }).split(' ')[0];
      assert.equal(m, tool('md5sum'));
      assert.equal(s1, tool('sha1sum'));
      assert.equal(s256, tool('sha256sum'));
      writeFileSync(join(dir, 'empty'), '');
      assert.deepEqual(await hashFile(join(dir, 'empty'), ['md5']), ['d41d8cd98f00b204e9800998ecf8427e']);
    });

    it('stops at an aborted signal and rejects with the file system\'s error', async () => {
      const file = join(dir, 'abort');
      writeFileSync(file, Buffer.alloc(1 << 20));
      const ac = new AbortController();
      ac.abort(new Error('deadline'));
      await assert.rejects(hashFile(file, ['md5'], ac.signal, 4096), /deadline/);
      await assert.rejects(hashFile(dir, ['md5']), /EISDIR/);
    });
  });
});
