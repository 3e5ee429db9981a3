import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEADLINE_TICK_MS, Deadlines } from './deadlines.js';
import { runTimed, systemClock } from './runner.js';

describe('shared deadlines', function () {
  this.timeout(5000);

  it('probes with deadlines in one tick share one signal; the deadline is never early', async () => {
    const fired: number[] = [];
    const start = Date.now();
    // Both probes start at `start`: read twice, the real clock may cross a tick between them.
    const d = new Deadlines(() => start);
    const a = d.lease(100, undefined, () => fired.push(Date.now() - start));
    const b = d.lease(100, undefined, () => fired.push(Date.now() - start));
    assert.equal(a.signal, b.signal);
    assert.equal(a.deadline % DEADLINE_TICK_MS, 0);
    assert.ok(a.deadline >= start + 100);
    b.release();
    await sleep(100 + 2 * DEADLINE_TICK_MS);
    assert.equal(fired.length, 1, 'only the probe still running is told');
    assert.ok(fired[0]! >= 99, `fired after ${fired[0]} ms`);
    assert.ok(a.signal.aborted);
    assert.equal(d.size, 0);
  });

  it('aborts every bucket when the parent aborts, and a new lease starts aborted', () => {
    const d = new Deadlines();
    const parent = new AbortController();
    const a = d.lease(10_000, parent.signal, () => {});
    parent.abort(new Error('stop'));
    assert.ok(a.signal.aborted);
    assert.ok(d.lease(10_000, parent.signal, () => {}).signal.aborted);
  });

  it('runTimed on shared deadlines keeps the contract: value, error, timeout, own late result', async () => {
    const d = new Deadlines();
    const v = await runTimed(async () => 'v', 1000, systemClock, undefined, 100, d);
    assert.deepEqual([v.kind, v.kind === 'value' && v.value], ['value', 'v']);
    const s = await runTimed(() => 's', 1000, systemClock, undefined, 100, d);
    assert.equal(s.kind, 'value');
    const e = await runTimed(() => Promise.reject(new Error('boom')), 1000, systemClock, undefined, 100, d);
    assert.equal(e.kind, 'error');
    const ignoring = await runTimed(() => new Promise((r) => setTimeout(r, 3000).unref()), 50, systemClock, undefined, 100, d);
    assert.equal(ignoring.kind, 'timeout');
    const honouring = await runTimed((sig) => sleep(3000, 'late', { signal: sig }), 50, systemClock, undefined, 100, d);
    assert.equal(honouring.kind, 'timeout');
    const own = await runTimed((sig) => new Promise((r) => sig.addEventListener('abort', () => r('own')))
      , 50, systemClock, undefined, 100, d);
    assert.deepEqual([own.kind, own.kind === 'value' && own.value], ['value', 'own']);
  });
});
