import assert from 'node:assert/strict';
import { defineServiceType, defineTest, ok } from '@warden/sdk';
import { fakeRegistry, parseText } from '../config/monitrc/fake-registry.js';
import { applySavedState, StateStamp, stateOf } from '../daemon/state-file.js';
import { checkService } from './check-service.js';
import { createCycle } from './scheduler.js';
import { testEngine } from './test-kit.js';

/** A `box` service whose `if changed digest` test reports `world.value` and counts runs in `ctx.persist`. */
function registry(world: { value: string; seen: unknown[] }) {
  const box = defineServiceType<Record<string, never>>({ name: 'box', summary: 'a box', keywords: ['box'], monitType: 'directory', parseTarget: () => ({}) });
  const sum = defineTest<{ event: 'checksum' | 'pid' }>({
    name: 'box.sum', summary: 'a sum', serviceTypes: ['box'], keywords: ['digest', 'ident'], polarities: ['changed'], codes: {}, event: 'checksum',
    parse(ts) {
      const word = ts.expect('digest', 'ident').text;
      return { options: { event: word === 'ident' ? 'pid' : 'checksum' }, condition: { kind: 'changed' }, event: word === 'ident' ? 'pid' : 'checksum', describe: `changed ${word}` };
    },
    run(ctx) {
      world.seen.push(ctx.persist?.get('runs'));
      ctx.persist?.set('runs', ((ctx.persist?.get('runs') as number | undefined) ?? 0) + 1);
      return ok(`value ${world.value}`, { value: world.value });
    },
  });
  return fakeRegistry([box, sum]);
}

const TEXT = 'check box b\n  if changed digest then alert\n  if changed ident then alert\n';

function start(world: { value: string; seen: unknown[] }) {
  const t = testEngine(parseText(TEXT, registry(world)));
  const rt = t.engine.services.get('b')!;
  let n = 0;
  const check = async () => (await checkService(rt, t.deps, createCycle(++n), new AbortController().signal)).events.map((e) => `${e.event.cls} ${e.event.text}`);
  return { ...t, check };
}

describe('values that survive a restart', () => {
  it('a change made while warden was down is a change; pid references and other control files are not kept', async () => {
    const world = { value: 'A', seen: [] as unknown[] };
    const first = start(world);
    assert.deepEqual(await first.check(), []);
    const saved = JSON.parse(JSON.stringify(stateOf(first.engine, '/rc', 1)));
    assert.deepEqual(saved.rules, { b: { 'changed digest#0': { lastValue: 'A', persist: { runs: 1 } }, 'changed ident#1': { persist: { runs: 1 } } } });

    world.value = 'B';
    const second = start(world);
    applySavedState(second.engine, saved, '/rc', 2);
    assert.deepEqual(await second.check(), ['checksum Checksum changed']);
    assert.deepEqual(world.seen.slice(2), [1, 1]);

    const other = start(world);
    applySavedState(other.engine, saved, '/other', 2);
    assert.deepEqual(await other.check(), []);
  });

  it('the state is rewritten only when a kept value or a monitoring state moved', async () => {
    const box = defineServiceType<Record<string, never>>({ name: 'box', summary: 'a box', keywords: ['box'], monitType: 'directory', parseTarget: () => ({}) });
    const world = { value: 'A' };
    const sum = defineTest({
      name: 'box.sum', summary: 'a sum', serviceTypes: ['box'], keywords: ['digest'], polarities: ['changed'], codes: {}, event: 'checksum',
      parse(ts) {
        ts.expect('digest');
        return { options: {}, condition: { kind: 'changed' }, describe: 'changed digest' };
      },
      run: () => ok(`value ${world.value}`, { value: world.value }),
    });
    const t = testEngine(parseText('check box b\n  if changed digest then alert\ncheck box c\n  if changed digest then alert\n', fakeRegistry([box, sum])));
    let n = 0;
    const checkAll = async () => {
      for (const rt of t.engine.services.values()) await checkService(rt, t.deps, createCycle(++n), new AbortController().signal);
    };
    const stamp = new StateStamp();
    assert.equal(stamp.moved(t.engine), true, 'a new engine is always written once');
    await checkAll();
    assert.equal(stamp.moved(t.engine), true, 'the first values were taken');
    await checkAll();
    assert.equal(stamp.moved(t.engine), false, 'same values: nothing to write');
    world.value = 'B';
    await checkAll();
    assert.equal(stamp.moved(t.engine), true, 'a changed reference value');
    assert.equal(stamp.moved(t.engine), false);
    t.engine.services.get('c')!.status.monitor = 'not monitored';
    assert.equal(stamp.moved(t.engine), true, 'a service unmonitored');
    stamp.forget();
    assert.equal(stamp.moved(t.engine), true, 'after a failed write, the next cycle writes again');
  });
});
