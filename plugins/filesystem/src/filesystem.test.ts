import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDefinition } from '@warden/sdk';
import { FakeClock, observeOnce, parseTarget, parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { filesystemExistTest } from './exist.js';
import { filesystemService } from './filesystem-type.js';
import { fsflagsTest } from './fsflags.js';
import { inodeTest } from './inode.js';
import { ioTest, serviceTimeTest } from './io.js';
import { gidTest, permissionTest, uidTest } from './ownership.js';
import { spaceTest } from './space.js';
import type { FilesystemTarget } from './target.js';

/** These tests mount a real 8 MB tmpfs: they need root, as CI has. */
describe('filesystem on a real tmpfs', function () {
  this.timeout(10_000);
  let dir: string;
  let mnt: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-fs-'));
    mnt = join(dir, 'mnt');
    execFileSync('mkdir', [mnt]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0750', 'tmpfs', mnt]);
  });

  after(() => {
    try {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    } catch {
      // already unmounted by a test
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const observe = async () => (await observeOnce(filesystemService, parseTarget(filesystemService, `path ${mnt}`))).target!;
  const probe = async <O>(def: Parameters<typeof runProbe<O, FilesystemTarget>>[0], text: string, target: FilesystemTarget, polarity: 'none' | 'failed' | 'changed' = 'none') =>
    (await runProbe(def, { options: parseTest(def, text, { polarity }).options, target, service: { name: 'fs', type: 'filesystem' } })).result;

  it('parses the header and declares Monit\'s implicit rules', () => {
    assert.deepEqual(parseTarget(filesystemService, 'with path /'), { path: '/' });
    assert.deepEqual(parseTarget(filesystemService, 'path "server:/export"'), { path: 'server:/export' });
    assert.throws(() => parseTarget(filesystemService, 'path sda1'), /syntax error 'sda1'/);
    assert.deepEqual(filesystemService.implicitRules?.({ path: '/' }), ['if does not exist then restart', 'if changed fsflags then alert']);
    assert.deepEqual(filesystemService.keywords, ['filesystem', 'device']);
  });

  it('observes the mount, its space, inodes, flags and mount point; no I/O device for tmpfs', async () => {
    const t = await observe();
    assert.equal(t.mount?.fsType, 'tmpfs');
    assert.match(t.mount?.flags ?? '', /^rw,.*size=8192k/);
    assert.equal((t.space!.blocks * t.space!.blockSize), 8 * 1024 * 1024);
    assert.equal(t.owner!.mode & 0o7777, 0o750);
    assert.equal(t.ioMissing, 'no-device');
    assert.equal((await probe(filesystemExistTest, 'not exist', t)).message, `succeeded getting filesystem statistics for '${mnt}'`);
    assert.equal((await probe(filesystemExistTest, 'exist', t)).message, `filesystem '${mnt}' exists`);
  });

  it('measures space usage like df on tmpfs and words it like Monit', async () => {
    writeFileSync(join(mnt, 'fill'), Buffer.alloc(5 * 1024 * 1024));
    const t = await observe();
    const usage = await probe(spaceTest, 'space usage > 50 %', t);
    assert.equal(usage.status, 'ok');
    assert.ok(typeof usage.value === 'number' && usage.value > 60 && usage.value < 64, String(usage.value));
    assert.match(usage.message, /^space usage 6\d\.\d% matches resource limit \[space usage > 50\.0%\]$/);
    const df = execFileSync('df', ['--output=pcent', mnt], { encoding: 'utf8' }).split('\n')[1]!.trim();
    assert.equal(Math.ceil(usage.value as number), Number(df.replace('%', '')));
    const free = await probe(spaceTest, 'space free < 1 MB', t);
    assert.equal(free.message.startsWith('space free test succeeded [current space free = 3'), true, free.message);
    assert.ok((free.value as number) > 2.9 * 1024 * 1024);
    const inodes = await probe(inodeTest, 'inodes > 90%', t);
    assert.match(inodes.message, /^inode usage test succeeded \[current inode usage = 0\.\d%\]$/);
    assert.equal((await probe(inodeTest, 'inode free < 10', t)).value, t.space!.inodesFree);
    rmSync(join(mnt, 'fill'));
  });

  it('checks permission, uid and gid of the mount point', async () => {
    const t = await observe();
    assert.equal((await probe(permissionTest, 'permission 0750', t, 'failed')).status, 'ok');
    const perm = await probe(permissionTest, 'permission 755', t, 'failed');
    assert.equal(perm.status, 'failed');
    assert.equal(perm.message, `permission test failed for ${mnt} [current permission 0750]`);
    assert.equal((await probe(uidTest, 'uid root', t, 'failed')).message, 'uid test succeeded [current uid = 0]');
    assert.equal((await probe(gidTest, 'gid 4242', t, 'failed')).message, 'gid test failed for fs -- current gid is 0');
    assert.throws(() => parseTest(uidTest, 'uid no-such-user-here', { polarity: 'failed' }), /user not found 'no-such-user-here'/);
  });

  it('reports changed flags after a remount read-only', async () => {
    const state: Record<string, unknown> = {};
    const run = async () => (await runProbe(fsflagsTest, { options: {}, target: await observe(), state })).result;
    const first = await run();
    assert.match(first.message, /^filesystem flags has not changed \[current flags 'rw,/);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const second = await run();
    execFileSync('mount', ['-o', 'remount,rw', mnt]);
    assert.match(second.message, /^filesystem flags changed to ro,/);
    assert.notEqual(second.value, first.value);
  });

  it('skips I/O rates on the first cycle and measures them from the second, on the root device', async () => {
    const options = parseTarget(filesystemService, 'path /');
    const clock = new FakeClock();
    const first = await observeOnce(filesystemService, options, { clock, cycle: testCycle(1) });
    assert.equal(first.target?.ioMissing, 'first-sample');
    const skippedRate = await runProbe(ioTest, { options: parseTest(ioTest, 'read rate > 1 GB/s').options, target: first.target! });
    assert.deepEqual(skippedRate.result, { status: 'skipped', message: 'no data are available for read rate test' });
    clock.advance(1000);
    const second = await observeOnce(filesystemService, options, { clock, state: first.state, cycle: testCycle(2) });
    const rate = await runProbe(ioTest, { options: parseTest(ioTest, 'write rate > 100000 operations/s').options, target: second.target! });
    assert.match(rate.result.message, /^write rate test succeeded \[current write = \d+\.\d operations\/s\]$/);
    const st = await runProbe(serviceTimeTest, { options: parseTest(serviceTimeTest, 'service time > 10 s').options, target: second.target! });
    assert.match(st.result.message, /^service time test succeeded \[current service time = \d+\.\d{3} ms\/operations\]$/);
  });

  it('sameTarget: a quiet filesystem is the same target; a write, a chmod, a remount, an unmount is not', async () => {
    const same = filesystemService.sameTarget!;
    const quiet = await observe();
    assert.ok(same(quiet, await observe()), 'nothing happened');
    writeFileSync(join(mnt, 'grown'), Buffer.alloc(64 * 1024));
    const written = await observe();
    assert.ok(!same(quiet, written), 'space used');
    execFileSync('chmod', ['0755', mnt]);
    const chmodded = await observe();
    execFileSync('chmod', ['0750', mnt]);
    assert.ok(!same(written, chmodded), 'the mount point\'s mode');
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const readOnly = await observe();
    execFileSync('mount', ['-o', 'remount,rw', mnt]);
    assert.ok(!same(written, readOnly), 'the flags');
    rmSync(join(mnt, 'grown'));
    assert.ok(!same(quiet, { path: quiet.path }), 'unmounted');
    assert.ok(same({ path: quiet.path }, { path: quiet.path }), 'unmounted twice');
    assert.ok(!same(quiet, { ...quiet, ioMissing: 'first-sample' }), 'why there is no I/O rate');
    assert.ok(!same(quiet, { ...quiet, io: { readBytes: 0, readOps: 0, writeBytes: 0, writeOps: 0, serviceTimeMs: 0, readTimeMs: 0, writeTimeMs: 0 } }), 'a rate where there was none');
  });

  // Every test of the plugin with the words of one rule: each reads nothing but the target.
  const steadyRules: Array<[TestDefinition<unknown, FilesystemTarget>, string, 'none' | 'failed' | 'changed']> = [
    [filesystemExistTest as TestDefinition<unknown, FilesystemTarget>, 'does not exist', 'none'],
    [fsflagsTest as TestDefinition<unknown, FilesystemTarget>, 'fsflags', 'changed'],
    [spaceTest as TestDefinition<unknown, FilesystemTarget>, 'space usage > 50%', 'none'],
    [spaceTest as TestDefinition<unknown, FilesystemTarget>, 'space free < 1 MB', 'none'],
    [inodeTest as TestDefinition<unknown, FilesystemTarget>, 'inode usage > 90%', 'none'],
    [ioTest as TestDefinition<unknown, FilesystemTarget>, 'read rate > 1 MB/s', 'none'],
    [serviceTimeTest as TestDefinition<unknown, FilesystemTarget>, 'service time > 10 ms', 'none'],
    [permissionTest as TestDefinition<unknown, FilesystemTarget>, 'permission 0750', 'failed'],
    [uidTest as TestDefinition<unknown, FilesystemTarget>, 'uid 0', 'failed'],
    [gidTest as TestDefinition<unknown, FilesystemTarget>, 'gid 0', 'failed'],
  ];
  for (const [def, text, polarity] of steadyRules) {
    it(`${polarity === 'none' ? '' : `${polarity} `}${text}: steady, and a third run on the same target repeats the second`, async () => {
      const { options } = parseTest(def, text, { polarity });
      assert.equal(def.steady?.(options), true);
      const state: Record<string, unknown> = {};
      const run = async (target: FilesystemTarget) => (await runProbe(def, { options, target, state, service: { name: 'fs', type: 'filesystem' } })).result;
      await run(await observe());
      // A change the first run did not see (space and flags), then twice the same target.
      writeFileSync(join(mnt, 'moved'), Buffer.alloc(256 * 1024));
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      try {
        const target = await observe();
        await run(target);
        const second = await run(target);
        const kept = structuredClone(state);
        assert.deepEqual(await run(await observe()), second);
        assert.deepEqual(state, kept);
      } finally {
        execFileSync('mount', ['-o', 'remount,rw', mnt]);
        rmSync(join(mnt, 'moved'));
      }
    });
  }

  it('is `Does not exist` once unmounted, and the other tests skip', async () => {
    execFileSync('umount', [mnt]);
    const t = await observe();
    assert.equal(t.mount, undefined);
    const exist = await probe(filesystemExistTest, 'not exist', t);
    assert.equal(exist.status, 'failed');
    assert.equal(exist.code, 'filesystem.missing');
    assert.equal(exist.message, `unable to read filesystem '${mnt}' state`);
    assert.equal((await probe(spaceTest, 'space > 1%', t)).status, 'skipped');
    const exists = await probe(filesystemExistTest, 'exist', t);
    assert.equal(exists.status, 'failed', 'the probe fails; the engine inverts it for `if exist`');
    assert.equal(exists.message, `filesystem '${mnt}' doesn't exist`);
  });
});

describe('filesystem rule parsing', () => {
  it('reads every spelling of the resource tests', () => {
    assert.equal(parseTest(spaceTest, 'space free < 1 GB').describe, 'space free < 1 GB');
    assert.deepEqual(parseTest(spaceTest, 'space > 80%').condition, { kind: 'compare', comparison: { op: '>', value: 80, unit: 'percent', text: '80%' } });
    assert.equal(parseTest(inodeTest, 'inodes free < 10 %').describe, 'inode free < 10%');
    assert.equal(parseTest(ioTest, 'read > 1 MB/s').describe, 'read rate > 1 MB/s');
    assert.deepEqual(parseTest(ioTest, 'write > 500 operations/s').options.comparison, { op: '>', value: 500, unit: 'none', text: '500 operations/s' });
    assert.equal(parseTest(serviceTimeTest, 'service time > 10 milliseconds').options.comparison.value, 10);
    assert.equal(parseTest(permissionTest, 'permission 0755', { polarity: 'failed' }).options.mode, 0o755);
    assert.throws(() => parseTest(permissionTest, 'permission 0899', { polarity: 'failed' }), /expected an octal permission/);
  });
});
