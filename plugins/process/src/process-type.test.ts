import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapturedLogger, FakeClock, observeOnce, parseTarget, runProbe, testCycle } from '@warden/sdk/testing';
import { existTest } from './exist.js';
import { FdBudget, KeptStat } from './kept-stat.js';
import { PidfileCache, SETTLE_MS } from './pidfile.js';
import { processService } from './process-type.js';
import type { ProcessState } from './target.js';

describe('check process header', () => {
  it('takes a pidfile, a path, or a pattern in every spelling', () => {
    assert.deepEqual(parseTarget(processService, 'with pidfile /run/x.pid'), { kind: 'pidfile', path: '/run/x.pid' });
    assert.deepEqual(parseTarget(processService, 'path /run/x.pid'), { kind: 'pidfile', path: '/run/x.pid' });
    assert.deepEqual(parseTarget(processService, 'matching "odoo.py"'), { kind: 'match', pattern: 'odoo.py' });
    assert.deepEqual(parseTarget(processService, 'match "a|b"'), { kind: 'match', pattern: 'a|b' });
    assert.deepEqual(parseTarget(processService, '=~ "sshd"'), { kind: 'match', pattern: 'sshd' });
    assert.throws(() => parseTarget(processService, 'with pidfile run/x.pid'), /syntax error/);
    assert.throws(() => parseTarget(processService, 'matching "("'), /regex parsing error/);
    assert.throws(() => parseTarget(processService, 'address x'), /expected 'pidfile', 'path' or 'matching'/);
  });

  it('restarts a missing process unless told otherwise, and says whether it runs', () => {
    assert.deepEqual(processService.implicitRules?.({ kind: 'pidfile', path: '/x' }), ['if does not exist then restart']);
    assert.equal(processService.running?.({}), false);
    assert.equal(processService.running?.({ pid: 5 }), true);
    assert.equal(processService.watchPid?.({ pid: 5 }), 5);
    assert.deepEqual(processService.environment?.(undefined, {}), { PROCESS_PID: '-1', PROCESS_MEMORY: '0', PROCESS_CHILDREN: '0', PROCESS_CPU_PERCENT: '0.0' });
  });
});

describe('check process against real processes', function () {
  this.timeout(10_000);
  const dir = mkdtempSync(join(tmpdir(), 'warden-process-'));
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const marker = `warden-marker-${process.pid}`;
  const child = (args: string[]) => {
    const c = spawn('/bin/sh', args, { stdio: 'ignore' });
    children.push(c);
    return c;
  };

  it('follows the pid of a pidfile, with its numbers for status and programs', async () => {
    const c = child(['-c', `sleep 30 & sleep 30 & wait # ${marker}-a`]);
    await new Promise((r) => setTimeout(r, 150)); // until the fork has exec'd the shell
    const pidfile = join(dir, 'a.pid');
    writeFileSync(pidfile, `${c.pid}\n`);
    const clock = new FakeClock();
    const { target, state } = await observeOnce(processService, { kind: 'pidfile', path: pidfile }, { clock });
    assert.equal(target?.pid, c.pid);
    assert.equal(target?.cpuPercent, undefined, 'no cpu figure from one sample');
    const seen = processService.observations!(target!);
    assert.equal(seen['pid'], c.pid);
    assert.equal(seen['ppid'], process.pid);
    assert.equal(seen['threads'], 1);
    assert.equal(seen['uid'], process.getuid!());
    assert.equal(seen['euid'], process.geteuid!());
    assert.equal(seen['gid'], process.getgid!());
    assert.equal(typeof seen['uptime'], 'number');
    assert.ok((seen['memoryKb'] as number) > 0);
    assert.equal(typeof seen['memoryPercent'], 'number');
    assert.equal(seen['cpuPercent'], undefined, 'no cpu figure from one sample');
    clock.advance(1000);
    const second = await observeOnce(processService, { kind: 'pidfile', path: pidfile }, { clock, state });
    assert.equal(typeof second.target?.cpuPercent, 'number');
    const env = processService.environment!(second.target, { children: 2 });
    assert.equal(env['PROCESS_PID'], String(c.pid));
    assert.equal(env['PROCESS_CHILDREN'], '2');
    assert.ok(Number(env['PROCESS_MEMORY']) > 0);
  });

  it('names why there is no process: garbage, a stale pid', async () => {
    const pidfile = join(dir, 'b.pid');
    writeFileSync(pidfile, 'garbage');
    const garbage = await observeOnce(processService, { kind: 'pidfile', path: pidfile });
    assert.equal(garbage.target?.pid, undefined);
    assert.match(garbage.target!.reason!, /does not contain a valid pid/);
    writeFileSync(pidfile, '4194000');
    const stale = await observeOnce(processService, { kind: 'pidfile', path: pidfile });
    assert.equal(stale.target?.reason, 'process test failed [pid=4194000] -- No such process');
  });

  it('finds a process by its command line, once per cycle for every check', async () => {
    const c = child(['-c', `sleep 30; # ${marker}-m`]);
    await new Promise((r) => setTimeout(r, 100));
    const cycle = testCycle();
    const { target } = await observeOnce(processService, { kind: 'match', pattern: `${marker}-m` }, { cycle });
    assert.equal(target?.pid, c.pid);
    const none = await observeOnce(processService, { kind: 'match', pattern: `${marker}-none` }, { cycle });
    assert.equal(none.target?.reason, `no process matches '${marker}-none'`);
  });

  describe('with its files kept between cycles', () => {
    /** A service's state whose pidfile looks settled at once, with a budget of `fds` kept files. */
    const settled = (fds = 10): ProcessState => ({ pidfile: new PidfileCache(() => Date.now() + 10 * SETTLE_MS), stat: new KeptStat(new FdBudget(() => fds)) });
    const end = (c: ChildProcess) => new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
    const exists = async (target: unknown) => (await runProbe(existTest, { options: {}, target: target as object })).result;

    for (const fds of [10, 0]) {
      it(`sees the death of a process whose pidfile did not change (${fds} files may be kept)`, async () => {
        const c = child(['-c', 'exec sleep 30']);
        const pidfile = join(dir, `dies-${fds}.pid`);
        writeFileSync(pidfile, `${c.pid}\n`);
        const options = { kind: 'pidfile', path: pidfile } as const;
        const state = settled(fds);
        assert.equal((await observeOnce(processService, options, { state })).target?.pid, c.pid);
        assert.equal((await observeOnce(processService, options, { state })).target?.pid, c.pid);
        assert.equal(state.stat.kept, fds > 0);
        await end(c);
        const gone = (await observeOnce(processService, options, { state })).target!;
        assert.equal(gone.reason, `process test failed [pid=${c.pid}] -- No such process`);
        const r = await exists(gone);
        assert.equal(r.status, 'failed');
        assert.equal(r.message, 'process is not running');
        assert.equal(state.stat.kept, false);
      });
    }

    it('gives a quiet process the same target cycle after cycle, its uptime moving on; a new pid a new one', async () => {
      const a = child(['-c', 'exec sleep 30']);
      const b = child(['-c', 'exec sleep 30']);
      await new Promise((r) => setTimeout(r, 150)); // until both have exec'd sleep and sleep
      const pidfile = join(dir, 'quiet.pid');
      writeFileSync(pidfile, `${a.pid}\n`);
      const options = { kind: 'pidfile', path: pidfile } as const;
      const state = settled();
      const clock = new FakeClock();
      const look = async () => {
        clock.advance(1000);
        return (await observeOnce(processService, options, { state, clock })).target!;
      };
      await look(); // the first CPU sample
      // Once the child sleeps (its exec done, its memory settled), a look is the last one again.
      let second = await look();
      let third = await look();
      for (let i = 0; i < 50 && third !== second; i++) {
        await new Promise((r) => setTimeout(r, 10));
        second = third;
        third = await look();
      }
      const uptime = second.uptimeSeconds!;
      assert.equal(third, second);
      assert.equal(processService.sameTarget!(second, third), true, 'core may let its steady rules rest');
      assert.equal(third.cpuPercent, 0);
      assert.ok(third.uptimeSeconds! >= uptime);
      writeFileSync(pidfile, `${b.pid}\n`);
      const t = Date.now() / 1000 - 100;
      utimesSync(pidfile, t, t);
      const other = await look();
      assert.notEqual(other, third);
      assert.equal(processService.sameTarget!(third, other), false);
      assert.equal(other.pid, b.pid);
    });

    it('follows the new pid when the pidfile is rewritten, while the old process still runs', async () => {
      const a = child(['-c', 'exec sleep 30']);
      const b = child(['-c', 'exec sleep 30']);
      const pidfile = join(dir, 'moved.pid');
      writeFileSync(pidfile, `${a.pid}\n`);
      const options = { kind: 'pidfile', path: pidfile } as const;
      const state = settled();
      assert.equal((await observeOnce(processService, options, { state })).target?.pid, a.pid);
      assert.equal((await observeOnce(processService, options, { state })).target?.pid, a.pid);
      writeFileSync(pidfile, `${b.pid}\n`);
      const t = Date.now() / 1000 - 100; // another modification time, should the rewrite fall within one tick of the file system's clock
      utimesSync(pidfile, t, t);
      assert.equal((await observeOnce(processService, options, { state })).target?.pid, b.pid);
      assert.equal(state.stat.kept, true);
    });

    it('reads the pidfile again before calling a process gone, should the file have changed unseen', async () => {
      const a = child(['-c', 'exec sleep 30']);
      const b = child(['-c', 'exec sleep 30']);
      const pidfile = join(dir, 'unseen.pid');
      writeFileSync(pidfile, `${b.pid}\n`);
      await end(a);
      const state = settled();
      // The cache still names a, as a file system that keeps no times would let it.
      state.pidfile.read = () => ({ pid: a.pid!, cached: true });
      const { target } = await observeOnce(processService, { kind: 'pidfile', path: pidfile }, { state });
      assert.equal(target?.pid, b.pid);
    });

    it('lets go of its file when the service goes away', async () => {
      const c = child(['-c', 'exec sleep 30']);
      const pidfile = join(dir, 'disposed.pid');
      writeFileSync(pidfile, `${c.pid}\n`);
      const budget = new FdBudget(() => 10);
      const state: ProcessState = { pidfile: new PidfileCache(), stat: new KeptStat(budget) };
      await observeOnce(processService, { kind: 'pidfile', path: pidfile }, { state });
      assert.equal(budget.held, 1);
      await processService.dispose!(state, new CapturedLogger());
      assert.equal(budget.held, 0);
    });
  });
});
