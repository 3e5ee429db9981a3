import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observeOnce, parseTest, runProbe } from '@warden/sdk/testing';
import { ownerTest } from './owner.js';
import { processService } from './process-type.js';

describe('process owner: failed uid, euid, gid', function () {
  this.timeout(10_000);
  const dir = mkdtempSync(join(tmpdir(), 'warden-owner-'));
  let nobody: ChildProcess;
  before(async () => {
    // Needs root (CI runs as root): a process running as nobody (65534) and group 65534.
    nobody = spawn('/bin/sleep', ['30'], { stdio: 'ignore', uid: 65534, gid: 65534 });
    await new Promise((r) => setTimeout(r, 100));
  });
  after(() => {
    nobody.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('compares the real process\'s ids, read by the service', async () => {
    const pidfile = join(dir, 'n.pid');
    writeFileSync(pidfile, String(nobody.pid));
    const { target } = await observeOnce(processService, { kind: 'pidfile', path: pidfile });
    assert.deepEqual(target?.ids, { uid: 65534, euid: 65534, gid: 65534 });
    const run = async (text: string) =>
      (await runProbe(ownerTest, { options: parseTest(ownerTest, text, { polarity: 'failed' }).options, target: target!, service: { name: 'sleeper', type: 'process' } })).result;
    const ok = await run('uid 65534');
    assert.equal(ok.status, 'ok');
    assert.equal(ok.message, 'uid test succeeded [current uid = 65534]');
    const bad = await run('euid root');
    assert.equal(bad.status, 'failed');
    assert.equal(bad.code, 'process.uid');
    assert.equal(bad.message, 'euid test failed for sleeper -- current euid is 65534');
    const group = await run('gid 0');
    assert.equal(group.code, 'process.gid');
    assert.equal(group.message, 'gid test failed for sleeper -- current gid is 65534');
    assert.equal((await runProbe(ownerTest, { options: parseTest(ownerTest, 'uid 0').options, target: {} })).result.status, 'skipped');
  });
});
