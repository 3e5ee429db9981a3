import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Deadlines } from './deadlines.js';
import { runTimed, runTimedNow, systemClock } from './runner.js';

/** Resolves after `ms`, or rejects with an AbortError when `signal` fires first. */
function honouring(ms: number, signal: AbortSignal): Promise<string> {
  return sleep(ms, 'late', { signal });
}

describe('runTimed', function () {
  this.timeout(5000);
  const GRACE = 100;

  it('returns the value and how long it took', async () => {
    const r = await runTimed(async () => {
      await sleep(60);
      return 42;
    }, 1000, systemClock);
    assert.equal(r.kind, 'value');
    assert.equal(r.kind === 'value' && r.value, 42);
    assert.ok(r.durationMs >= 55 && r.durationMs < 500, `duration ${r.durationMs}`);
  });

  it('gives the probe a signal and the deadline', async () => {
    const before = Date.now();
    const r = await runTimed((signal, deadline) => ({ aborted: signal.aborted, deadline }), 300, systemClock);
    assert.equal(r.kind, 'value');
    if (r.kind === 'value') {
      assert.equal(r.value.aborted, false);
      assert.ok(r.value.deadline >= before + 300 && r.value.deadline <= Date.now() + 300);
    }
  });

  it('turns a throw (sync or async) into error', async () => {
    const sync = await runTimed(() => {
      throw new Error('broken probe');
    }, 1000, systemClock);
    assert.equal(sync.kind, 'error');
    assert.equal(sync.kind === 'error' && sync.error.message, 'broken probe');
    const rejected = await runTimed(() => Promise.reject('not an Error'), 1000, systemClock);
    assert.equal(rejected.kind === 'error' && rejected.error.message, 'not an Error');
  });

  it('turns a missed deadline into timeout when the probe ignores its signal', async () => {
    const started = Date.now();
    const r = await runTimed(() => sleep(2000), 150, systemClock, undefined, GRACE);
    assert.equal(r.kind, 'timeout');
    const took = Date.now() - started;
    assert.ok(took >= 150 + GRACE - 5 && took < 1000, `abandoned after ${took} ms`);
  });

  it('turns an AbortError at the deadline into timeout', async () => {
    let seen: AbortSignal | undefined;
    const r = await runTimed((signal) => {
      seen = signal;
      return honouring(2000, signal);
    }, 150, systemClock, undefined, GRACE);
    assert.equal(r.kind, 'timeout');
    assert.ok(r.durationMs >= 140 && r.durationMs < 1000, `duration ${r.durationMs}`);
    assert.equal(seen?.aborted, true);
    assert.match(String(seen?.reason?.message), /deadline of 150 ms exceeded/);
  });

  it('keeps the own result of a probe that returns after its signal fired', async () => {
    const r = await runTimed(async (signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return { status: 'failed', message: 'connection aborted' };
    }, 100, systemClock, undefined, 300);
    assert.equal(r.kind, 'value');
    assert.deepEqual(r.kind === 'value' && r.value, { status: 'failed', message: 'connection aborted' });
  });

  it('aborts the probe when the parent aborts (shutdown)', async () => {
    const parent = new AbortController();
    setTimeout(() => parent.abort(new Error('warden is stopping')), 50);
    const started = Date.now();
    const r = await runTimed((signal) => honouring(2000, signal), 1000, systemClock, parent.signal, GRACE);
    assert.equal(r.kind, 'error');
    assert.ok(Date.now() - started < 500);
  });

  it('starts the probe aborted when the parent already is', async () => {
    const r = await runTimed((signal) => signal.aborted, 1000, systemClock, AbortSignal.abort());
    assert.deepEqual(r.kind === 'value' && r.value, true);
  });
});

describe('runTimed, cheap paths', () => {
  it('a synchronous probe returns without a timer, and a sync throw is an error', async () => {
    const r = await runTimed(() => 42, 10, systemClock);
    assert.deepEqual([r.kind, r.kind === 'value' ? r.value : undefined], ['value', 42]);
    const e = await runTimed(() => { throw new Error('boom'); }, 10, systemClock);
    assert.equal(e.kind, 'error');
  });

  it('a probe that awaits a while still gets its deadline, then timeout', async () => {
    const r = await runTimed(async (signal) => {
      await Promise.resolve();
      await Promise.resolve();
      await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      return signal.aborted;
    }, 30, systemClock, undefined, 20);
    assert.equal(r.kind, 'timeout');
    assert.ok(r.durationMs < 1000);
  });

  it('a parent aborted while the probe starts still aborts it', async () => {
    const parent = new AbortController();
    const r = runTimed((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))), 10_000, systemClock, parent.signal);
    queueMicrotask(() => parent.abort());
    const done = await r;
    assert.equal(done.kind, 'error');
  });
});

describe('runTimedNow on shared deadlines', () => {
  it('measures a synchronous answer from the start it is given, or not at all when untimed', () => {
    let reads = 0;
    const clock = { now: () => 1_000_000, monotonic: () => (reads++, 50) };
    const deadlines = new Deadlines(() => 1_000_000);
    const timed = runTimedNow(() => 7, 1000, clock, undefined, undefined, deadlines, 20);
    assert.deepEqual(timed, { kind: 'value', value: 7, durationMs: 30 });
    assert.equal(reads, 1, 'only the end was read');
    const untimed = runTimedNow(() => 8, 1000, clock, undefined, undefined, deadlines, 20, false);
    assert.deepEqual(untimed, { kind: 'value', value: 8, durationMs: 0 });
    assert.equal(reads, 1, 'no clock read at all');
  });

  it('still times an answer that comes later, untimed or not', async () => {
    const deadlines = new Deadlines();
    const r = await runTimedNow(() => sleep(30, 'x'), 1000, systemClock, undefined, undefined, deadlines, undefined, false);
    assert.equal(r.kind, 'value');
    assert.ok(r.durationMs >= 25, `duration ${r.durationMs}`);
  });
});
