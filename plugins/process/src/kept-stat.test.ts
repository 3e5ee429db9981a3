import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { FdBudget, KeptStat } from './kept-stat.js';

/** A sleeping process, and a way to end it and wait until it is reaped. */
function sleeper(): { readonly pid: number; end(): Promise<void> } {
  const c: ChildProcess = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
  return {
    pid: c.pid!,
    end: () => new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    }),
  };
}

describe('process: kept /proc/PID/stat', function () {
  this.timeout(10_000);

  it('keeps the file of a live process and reads it again in place', async () => {
    const budget = new FdBudget(() => 10);
    const kept = new KeptStat(budget);
    const p = sleeper();
    try {
      assert.equal(kept.read(p.pid)?.pid, p.pid);
      assert.ok(kept.kept);
      assert.equal(kept.read(p.pid)?.pid, p.pid);
      assert.equal(budget.held, 1);
    } finally {
      await p.end();
      kept.close();
    }
    assert.equal(budget.held, 0);
  });

  it('answers the same stat object while nothing in the stat moves, and a new one when it does', async () => {
    const kept = new KeptStat(new FdBudget(() => 10));
    const busy = spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
    const p = sleeper();
    try {
      // Until the child has exec'd sleep and sleeps (its memory and state settle).
      let first = kept.read(p.pid);
      for (let i = 0; i < 200 && (first?.state !== 'S' || kept.read(p.pid) !== first); i++) {
        await new Promise((r) => setTimeout(r, 10));
        first = kept.read(p.pid);
      }
      assert.equal(first?.state, 'S');
      assert.equal(kept.read(p.pid), first); // a sleeping process: the same
      const other = new KeptStat(new FdBudget(() => 10));
      const a = other.read(busy.pid!);
      let b = a;
      for (let i = 0; i < 100 && b === a; i++) {
        await new Promise((r) => setTimeout(r, 20));
        b = other.read(busy.pid!);
      }
      assert.notEqual(b, a); // a busy one: its CPU time moved
      assert.ok(b!.cpuTicks > a!.cpuTicks);
      other.close();
    } finally {
      busy.kill('SIGKILL');
      await p.end();
      kept.close();
    }
  });

  it('says a process that died is gone, and lets go of its file', async () => {
    const budget = new FdBudget(() => 10);
    const kept = new KeptStat(budget);
    const p = sleeper();
    assert.equal(kept.read(p.pid)?.pid, p.pid);
    await p.end();
    assert.equal(kept.read(p.pid), undefined);
    assert.equal(kept.kept, false);
    assert.equal(budget.held, 0);
  });

  it('finds the new process when the pid of a dead one was reused', async () => {
    // The path a pid opens is where the test decides: first process a, then b under the same pid.
    const a = sleeper();
    const b = sleeper();
    let holder = a.pid;
    const kept = new KeptStat(new FdBudget(() => 10), () => `/proc/${holder}/stat`);
    try {
      assert.equal(kept.read(77)?.pid, a.pid);
      await a.end();
      holder = b.pid;
      assert.equal(kept.read(77)?.pid, b.pid, 'the kept file of the dead process fails; the path finds the new one');
      assert.ok(kept.kept);
    } finally {
      await b.end();
      kept.close();
    }
  });

  it('lets go of the last file when it follows another pid', async () => {
    const budget = new FdBudget(() => 10);
    const kept = new KeptStat(budget);
    const a = sleeper();
    const b = sleeper();
    try {
      assert.equal(kept.read(a.pid)?.pid, a.pid);
      assert.equal(kept.read(b.pid)?.pid, b.pid);
      assert.equal(budget.held, 1);
    } finally {
      await a.end();
      await b.end();
      kept.close();
    }
  });

  it('reads through the path once the budget is spent, and keeps a file when one is given back', async () => {
    const budget = new FdBudget(() => 1);
    const first = new KeptStat(budget);
    const second = new KeptStat(budget);
    const a = sleeper();
    const b = sleeper();
    try {
      assert.equal(first.read(a.pid)?.pid, a.pid);
      assert.equal(second.read(b.pid)?.pid, b.pid);
      assert.ok(first.kept);
      assert.equal(second.kept, false);
      assert.equal(second.read(b.pid)?.pid, b.pid);
      await b.end();
      assert.equal(second.read(b.pid), undefined, 'a death is seen without a kept file too');
      first.close();
      assert.equal(first.read(a.pid)?.pid, a.pid);
      assert.ok(first.kept);
      assert.equal(budget.held, 1);
    } finally {
      await a.end();
      first.close();
      second.close();
    }
    assert.equal(budget.held, 0);
  });

  it('answers for a pid that never ran', () => {
    const kept = new KeptStat(new FdBudget(() => 10));
    assert.equal(kept.read(4_194_000), undefined);
    assert.equal(kept.kept, false);
  });
});
