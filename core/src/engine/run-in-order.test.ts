import assert from 'node:assert/strict';
import type { ServiceRuntime } from './service-runtime.js';
import { runInOrder } from './scheduler.js';

/** Just what runInOrder reads of a runtime: the name and the prerequisites. */
function svc(name: string, depends: string[] = []): ServiceRuntime {
  return { model: { name, depends } } as unknown as ServiceRuntime;
}

/** Busy-wait: a synchronous check that keeps the event loop. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a local check's stat and judging, in miniature
  }
}

describe('runInOrder (one cycle over the services)', () => {
  it('starts a service only after its prerequisites finished, at most `limit` at once', async () => {
    const order = [svc('db'), svc('cache'), svc('web', ['db', 'cache']), svc('a'), svc('b'), svc('c')];
    const log: string[] = [];
    let running = 0;
    let most = 0;
    await runInOrder(order, 2, async (rt) => {
      running++;
      most = Math.max(most, running);
      log.push(`${rt.model.name}:start`);
      await new Promise((resolve) => setTimeout(resolve, rt.model.name === 'db' ? 30 : 5));
      log.push(`${rt.model.name}:end`);
      running--;
    });
    assert.equal(most, 2);
    assert.ok(log.indexOf('web:start') > log.indexOf('db:end'), log.join(' '));
    assert.ok(log.indexOf('web:start') > log.indexOf('cache:end'), log.join(' '));
    assert.equal(log.filter((l) => l.endsWith(':end')).length, order.length);
  });

  it('settles at once with no services, and counts a rejected check as finished', async () => {
    await runInOrder([], 8, () => Promise.reject(new Error('never called')));
    let calls = 0;
    await runInOrder([svc('x'), svc('y', ['x'])], 8, () => {
      calls++;
      return Promise.reject(new Error('boom'));
    });
    assert.equal(calls, 2);
  });

  it('lets the event loop turn during a long cycle of synchronous checks', async () => {
    const order = Array.from({ length: 40 }, (_, i) => svc(`s${i}`));
    let turns = 0;
    let checked = 0;
    const tick = setInterval(() => turns++, 0);
    try {
      // 40 checks of 1 ms each, answering without waiting: 8 stretches of 5 ms, not one of 40.
      await runInOrder(order, 8, (rt) => {
        spin(1);
        checked++;
        return Promise.resolve(rt.model.name).then(() => undefined);
      });
    } finally {
      clearInterval(tick);
    }
    assert.equal(checked, 40);
    assert.ok(turns >= 3, `the event loop turned ${turns} times during the cycle`);
  });
});
