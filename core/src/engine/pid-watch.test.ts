import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadExitWatcher } from '../daemon/reaper.js';
import { alive, type ExitWatcher, PidWatch } from './pid-watch.js';

/** A pid no process has: above every pid this test machine hands out. */
const GONE_PID = 4_194_000;
/** A poll interval no test outlives: a death reported under it came from the kernel. */
const NEVER_POLL_MS = 3_600_000;

/** Wait (bounded) until `cond` holds. */
async function until(what: string, cond: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 5) {
    if (cond()) return;
    await sleep(5);
  }
  assert.fail(`timed out waiting for ${what}`);
}

function sleeper(): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  assert.ok(child.pid !== undefined);
  return child as ChildProcess & { pid: number };
}

/** SIGKILL `child` and let the event loop see its exit, and a bit more. */
async function killAndSettle(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  await sleep(100);
}

describe('PidWatch', function () {
  this.timeout(5000);
  const children: ChildProcess[] = [];
  const spawnSleep = () => {
    const child = sleeper();
    children.push(child);
    return child;
  };
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('tells a live pid from a gone one', () => {
    assert.equal(alive(process.pid), true);
    assert.equal(alive(GONE_PID), false);
  });

  describe('polling /proc (no exit watcher)', () => {
    it('reports a watched process once, soon after it dies, and stops its timer when nothing is watched', async () => {
      const child = spawnSleep();
      const deaths: Array<[string, number]> = [];
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), 10);
      watch.set('svc', child.pid);
      watch.set('me', process.pid);
      const killed = Date.now();
      child.kill('SIGKILL');
      for (let i = 0; i < 200 && deaths.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(deaths, [['svc', child.pid]]);
      assert.ok(Date.now() - killed < 500);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(deaths.length, 1, 'reported once');
      watch.set('me', undefined);
      watch.close();
    });

    it('polls a pid the exit watcher cannot watch', async () => {
      const child = spawnSleep();
      const deaths: Array<[string, number]> = [];
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), 10, () => null);
      watch.set('svc', child.pid);
      child.kill('SIGKILL');
      await until('the polled death', () => deaths.length > 0);
      assert.deepEqual(deaths, [['svc', child.pid]]);
      watch.close();
    });
  });

  describe('exit watcher contract', () => {
    it('holds at most its budget of pidfds and polls the pids beyond it', async () => {
      const children = [spawnSleep(), spawnSleep(), spawnSleep()];
      const deaths: Array<[string, number]> = [];
      let asked = 0;
      const watchExit = () => {
        asked++;
        return { close: () => undefined };
      };
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), 10, watchExit, 2);
      children.forEach((c, i) => watch.set(`svc${i}`, c.pid));
      assert.equal(asked, 2, 'the third pid is not handed to the kernel');
      children[2]!.kill('SIGKILL');
      await until('the polled death of the third', () => deaths.length > 0);
      assert.deepEqual(deaths, [['svc2', children[2]!.pid]]);
      watch.close();
      for (const c of children) c.kill('SIGKILL');
    });

    it('reports a pid the watcher finds gone from the event loop, not from inside set()', async () => {
      const deaths: Array<[string, number]> = [];
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), NEVER_POLL_MS, () => false);
      watch.set('svc', GONE_PID);
      assert.deepEqual(deaths, []);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(deaths, [['svc', GONE_PID]]);
      watch.close();
    });

    it('does not report a gone pid released before the report', async () => {
      const deaths: string[] = [];
      const watch = new PidWatch((name) => deaths.push(name), NEVER_POLL_MS, () => false);
      watch.set('released', GONE_PID);
      watch.set('released', undefined);
      watch.set('closed', GONE_PID);
      watch.close();
      await sleep(20);
      assert.deepEqual(deaths, []);
    });

    it('reports a pid once even when the service sets it again after its death (a stale observation)', async () => {
      const deaths: number[] = [];
      const watch = new PidWatch((name, pid) => {
        deaths.push(pid);
        watch.set(name, pid);
      }, NEVER_POLL_MS, () => false);
      watch.set('svc', GONE_PID);
      await sleep(20);
      watch.set('svc', undefined);
      watch.set('svc', GONE_PID);
      await sleep(20);
      assert.deepEqual(deaths, [GONE_PID]);
      watch.set('svc', GONE_PID + 1);
      await sleep(20);
      assert.deepEqual(deaths, [GONE_PID, GONE_PID + 1], 'another pid is watched again');
      watch.close();
    });

    it('closes the watch of a pid that is replaced, released or closed, and only those', () => {
      const closed: number[] = [];
      const watchExit: ExitWatcher = (pid) => ({ close: () => closed.push(pid) });
      const watch = new PidWatch(() => assert.fail('no death'), NEVER_POLL_MS, watchExit);
      watch.set('a', 101);
      watch.set('a', 101);
      watch.set('a', 102);
      watch.set('b', 201);
      watch.set('b', undefined);
      watch.set('c', 301);
      assert.deepEqual(closed, [101, 201]);
      watch.close();
      assert.deepEqual(closed.sort(), [101, 102, 201, 301]);
    });
  });

  describe('pidfd (the native addon)', function () {
    const watchExit = loadExitWatcher();
    before(function () {
      // Without a C compiler at install, or before Linux 5.3, the daemon polls: covered above.
      if (!watchExit || watchExit(process.pid, () => undefined) === null) this.skip();
    });
    /** The addon, counting the watches it made. */
    const counted = () => {
      const made: number[] = [];
      const fn: ExitWatcher = (pid, onExit) => {
        const handle = watchExit!(pid, onExit);
        if (handle) made.push(pid);
        return handle;
      };
      return { made, fn };
    };

    it('reports a process killed with SIGKILL once, from the kernel', async () => {
      const child = spawnSleep();
      const { made, fn } = counted();
      const deaths: Array<[string, number]> = [];
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), NEVER_POLL_MS, fn);
      watch.set('svc', child.pid);
      watch.set('me', process.pid);
      assert.deepEqual(made, [child.pid, process.pid]);
      child.kill('SIGKILL');
      await until('the reported death', () => deaths.length > 0);
      assert.deepEqual(deaths, [['svc', child.pid]]);
      await sleep(50);
      assert.equal(deaths.length, 1, 'reported once');
      watch.close();
    });

    it('reports a pid that does not exist as dead at once', async () => {
      const deaths: Array<[string, number]> = [];
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), NEVER_POLL_MS, watchExit);
      watch.set('svc', GONE_PID);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(deaths, [['svc', GONE_PID]]);
      watch.close();
    });

    it('reports a zombie: the exit happened even though nobody reaped it yet', async () => {
      // The shell prints the pid of a child that exits at once, then becomes a sleep that never waits for it.
      const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(parent);
      const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
      const zombie = Number(line.toString().trim());
      await until('the zombie', () => existsSync(`/proc/${zombie}`) && !alive(zombie));
      const deaths: Array<[string, number]> = [];
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), NEVER_POLL_MS, watchExit);
      watch.set('zombie', zombie);
      await until('the reported zombie', () => deaths.length > 0);
      assert.deepEqual(deaths, [['zombie', zombie]]);
      watch.close();
    });

    it('calls back once, never after close(), which may be called again', async () => {
      const [a, b] = [spawnSleep(), spawnSleep()];
      const calls: string[] = [];
      const kept = watchExit!(a.pid, () => calls.push('a'));
      const closed = watchExit!(b.pid, () => calls.push('b'));
      assert.ok(kept && closed);
      closed.close();
      closed.close();
      await Promise.all([a, b].map(killAndSettle));
      kept.close();
      assert.deepEqual(calls, ['a']);
    });

    it('reports nothing for a watch closed, released or replaced before the death', async () => {
      const [a, b, c, d] = [spawnSleep(), spawnSleep(), spawnSleep(), spawnSleep()];
      const deaths: Array<[string, number]> = [];
      const watch = new PidWatch((name, pid) => deaths.push([name, pid]), NEVER_POLL_MS, watchExit);
      const other = new PidWatch((name, pid) => deaths.push([name, pid]), NEVER_POLL_MS, watchExit);
      watch.set('released', a.pid);
      watch.set('released', undefined);
      watch.set('replaced', b.pid);
      watch.set('replaced', c.pid);
      other.set('closed', d.pid);
      other.close();
      other.close();
      await Promise.all([a, b, d].map(killAndSettle));
      assert.deepEqual(deaths, []);
      await killAndSettle(c);
      assert.deepEqual(deaths, [['replaced', c.pid]]);
      watch.close();
    });
  });
});
