import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { fdUsage, pipesFit } from './fd-budget.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('descriptor budget for job output', function () {
  this.timeout(20_000);

  it('reads this process’s open descriptors and soft limit from /proc', () => {
    const usage = fdUsage();
    assert.ok(usage, '/proc/self/limits and /proc/self/fd are readable on Linux');
    assert.ok(usage.open >= 3 && usage.open < usage.limit, JSON.stringify(usage));
    const soft = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    assert.equal(usage.limit, Number(soft));
  });

  it('keeps a quarter of the limit, at least 64, for everything else', () => {
    assert.equal(pipesFit({ open: 766, limit: 1024 }, 2), true);
    assert.equal(pipesFit({ open: 767, limit: 1024 }, 2), false);
    assert.equal(pipesFit({ open: 62, limit: 128 }, 2), true);
    assert.equal(pipesFit({ open: 63, limit: 128 }, 2), false);
    assert.equal(pipesFit({ open: 5000, limit: 1024 }, 0), true, 'jobs writing to files need no pipes');
    assert.equal(pipesFit(undefined, 2), true, 'no /proc: no budget');
  });

  it('runs 150 jobs under `prlimit --nofile=128`: early ones logged, later ones to /dev/null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-fd-'));
    const marker = `100000.${process.pid}7`;
    const job = (name: string, cmd: string) => `job {\n  name ${name}\n  cmd ${cmd}\n}\n`;
    const conf = join(dir, 'pmtr.conf');
    const jobs = [job('first', `/bin/sh -c "echo first-says-hi; exec /bin/sleep ${marker}"`)];
    for (let i = 0; i < 148; i++) jobs.push(job(`idle${i}`, `/bin/sleep ${marker}`));
    jobs.push(job('last', `/bin/sh -c "echo last-says-hi; exec /bin/sleep ${marker}"`));
    writeFileSync(conf, jobs.join(''));
    chmodSync(conf, 0o600);
    const warden = spawn('prlimit', ['--nofile=128:128', process.execPath, join(root, 'core', 'bin', 'warden.js'), '-I', '-c', conf, '-p', join(dir, 'pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    warden.stderr.on('data', (d: Buffer) => (log += d));
    const exited = new Promise((r) => warden.on('exit', r));
    const children = () => (readFileSync(`/proc/${warden.pid}/task/${warden.pid}/children`, 'utf8').match(/\d+/g) ?? []).length;
    const marked = () => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
    try {
      for (let i = 0; i < 100 && (warden.exitCode === null ? children() : 0) < 150; i++) await sleep(100);
      assert.equal(children(), 150, log.slice(-2000));
      for (let i = 0; i < 50 && !log.includes('first-says-hi'); i++) await sleep(100);
      assert.match(log, /first-says-hi/);
      assert.match(log, /job last: output to \/dev\/null: warden holds \d+ of its 128 file descriptors/);
      assert.doesNotMatch(log, /last-says-hi|EMFILE|too many open files/i);
      assert.ok(readdirSync(`/proc/${warden.pid}/fd`).length <= 128 - 32);
    } finally {
      warden.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000, undefined, { ref: false })]);
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(warden.exitCode, 0, log.slice(-2000));
    assert.deepEqual(marked(), [], 'every job is gone after SIGTERM');
  });
});
