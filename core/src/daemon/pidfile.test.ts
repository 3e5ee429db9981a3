import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquirePidfile, isAlive, readPidfile } from './pidfile.js';

/** A `sleep` child and a way to end it and wait until it is reaped. */
function sleeper(): { child: ChildProcess; pid: number; kill: () => Promise<void> } {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid!,
    kill: async () => {
      child.kill('SIGKILL');
      await Promise.race([exited, sleep(5000)]);
    },
  };
}

describe('pidfile', () => {
  let dir: string;
  let path: string;
  const children: Array<() => Promise<void>> = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-pid-'));
    path = join(dir, 'warden.pid');
  });
  afterEach(async () => {
    for (const kill of children.splice(0)) await kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes our pid and removes the file on release', () => {
    const lock = acquirePidfile(path);
    assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`);
    assert.equal(readPidfile(path), process.pid);
    assert.deepEqual(readdirSync(dir), ['warden.pid'], 'no temporary file left behind');
    lock.release();
    assert.equal(existsSync(path), false);
    lock.release();
  });

  it('refuses a file naming another live process', async () => {
    const other = sleeper();
    children.push(other.kill);
    writeFileSync(path, `${other.pid}\n`);
    assert.equal(readPidfile(path), other.pid);
    assert.throws(() => acquirePidfile(path), {
      message: `warden daemon with PID ${other.pid} is already running (pid file ${path})`,
    });
    assert.equal(readFileSync(path, 'utf8'), `${other.pid}\n`, 'the other daemon’s file is untouched');

    await other.kill();
    assert.equal(readPidfile(path), undefined);
    const lock = acquirePidfile(path);
    assert.equal(readPidfile(path), process.pid);
    lock.release();
  });

  it('replaces a stale file and one that holds no number', () => {
    writeFileSync(path, '2147483646\n');
    assert.equal(readPidfile(path), undefined);
    acquirePidfile(path).release();
    writeFileSync(path, 'garbage');
    assert.equal(readPidfile(path), undefined);
    const lock = acquirePidfile(path);
    assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`);
    lock.release();
  });

  it('takes over a file that already names this process', () => {
    writeFileSync(path, `${process.pid}\n`);
    const lock = acquirePidfile(path);
    lock.release();
    assert.equal(existsSync(path), false);
  });

  it('leaves a file another daemon took over on release', async () => {
    const lock = acquirePidfile(path);
    const other = sleeper();
    children.push(other.kill);
    writeFileSync(path, `${other.pid}\n`);
    lock.release();
    assert.equal(readFileSync(path, 'utf8'), `${other.pid}\n`);
  });

  it('names the path when the file cannot be written', () => {
    const bad = join(dir, 'missing', 'warden.pid');
    assert.throws(() => acquirePidfile(bad), { message: `cannot write pid file '${bad}' -- No such file or directory` });
  });

  it('is undefined for a missing file', () => {
    assert.equal(readPidfile(join(dir, 'none.pid')), undefined);
  });

  it('sees live and dead processes', async () => {
    assert.equal(isAlive(process.pid), true);
    assert.equal(isAlive(2147483646), false);
    const s = sleeper();
    assert.equal(isAlive(s.pid), true);
    await s.kill();
    assert.equal(isAlive(s.pid), false);
  });

  it('counts a zombie as dead', async function () {
    this.timeout(10000);
    // `exec sleep` never waits, so the background `sleep 0.2` stays a zombie under it.
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
    children.push(async () => {
      parent.kill('SIGKILL');
      await Promise.race([exited, sleep(5000)]);
    });
    let out = '';
    parent.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const state = (pid: number): string => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      } catch {
        return '';
      }
    };
    let zombie = 0;
    for (let i = 0; i < 250 && (zombie === 0 || state(zombie) !== 'Z'); i++) {
      await sleep(20);
      zombie = Number(out.trim()) || 0;
    }
    assert.equal(state(zombie), 'Z');
    writeFileSync(path, `${zombie}\n`);
    assert.equal(isAlive(zombie), false);
    assert.equal(readPidfile(path), undefined);
    acquirePidfile(path).release();
  });
});
