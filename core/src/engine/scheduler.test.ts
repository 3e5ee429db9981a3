import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineServiceType, defineTest, ok } from '@warden/sdk';
import { fakeRegistry, parseText } from '../config/monitrc/fake-registry.js';
import { createCycle, isDue, Scheduler } from './scheduler.js';
import { testEngine } from './test-kit.js';

/** What the `wait N` probes saw: runs in order, and the most that ran at once. */
interface Trace {
  events: string[];
  running: number;
  maxRunning: number;
  aborted: string[];
}

/** A `job` service type whose `if wait MS then alert` test sleeps (honouring its signal). */
function jobRegistry(trace: Trace) {
  const job = defineServiceType<Record<string, never>>({
    name: 'job', summary: 'a job', keywords: ['job'], monitType: 'program', parseTarget: () => ({}),
  });
  const wait = defineTest<{ ms: number }>({
    name: 'job.wait', summary: 'waits', serviceTypes: ['job'], keywords: ['wait'], polarities: ['none'], event: 'status', codes: {},
    parse(ts) {
      ts.expect('wait');
      return { options: { ms: ts.integer() }, condition: { kind: 'state' }, describe: 'wait' };
    },
    async run(ctx) {
      trace.events.push(`${ctx.service.name}:start`);
      trace.running++;
      trace.maxRunning = Math.max(trace.maxRunning, trace.running);
      try {
        await sleep(ctx.options.ms, undefined, { signal: ctx.signal });
      } catch (err) {
        trace.aborted.push(ctx.service.name);
        throw err;
      } finally {
        trace.running--;
        trace.events.push(`${ctx.service.name}:end`);
      }
      return ok('waited');
    },
  });
  return fakeRegistry([job, wait]);
}

function setup(text: string, options: { concurrency?: number; intervalMs?: number } = {}) {
  const trace: Trace = { events: [], running: 0, maxRunning: 0, aborted: [] };
  const t = testEngine(parseText(text, jobRegistry(trace)));
  const scheduler = new Scheduler(t.engine, t.dispatcher, t.deps, t.store, {
    intervalMs: options.intervalMs ?? 60_000, startDelayMs: 0, concurrency: options.concurrency ?? 8,
  });
  return { ...t, trace, scheduler };
}

async function until(what: string, cond: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 10) {
    if (cond()) return;
    await sleep(10);
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('scheduler', function () {
  this.timeout(10_000);

  describe('isDue', () => {
    it('`every 3 cycles` is due in the first cycle and every third after', () => {
      const due = [0, 1, 2, 3, 4, 5, 6].map((seen) => isDue({ kind: 'cycles', n: 3 }, seen, 0));
      assert.deepEqual(due, [true, false, false, true, false, false, true]);
    });

    it('always is always due', () => assert.ok(isDue({ kind: 'always' }, 5, 0)));

    describe('`every "* 8-19 * * 1-5"` (working hours) against local dates', () => {
      const cron = { kind: 'cron', expression: '* 8-19 * * 1-5', negate: false } as const;
      const table: Array<[string, Date, boolean]> = [
        ['Monday 09:00', new Date(2026, 10, 23, 9, 0), true],
        ['Monday 09:00:45', new Date(2026, 10, 23, 9, 0, 45), true],
        ['Monday 19:59', new Date(2026, 10, 23, 19, 59), true],
        ['Monday 20:00', new Date(2026, 10, 23, 20, 0), false],
        ['Monday 07:59', new Date(2026, 10, 23, 7, 59), false],
        ['Sunday 09:00', new Date(2026, 10, 22, 9, 0), false],
        ['Friday 12:30', new Date(2026, 10, 27, 12, 30), true],
        ['Saturday 12:30', new Date(2026, 10, 28, 12, 30), false],
      ];
      for (const [when, date, due] of table) {
        it(`${when}: every ${due ? 'due' : 'not due'}, not every ${due ? 'not due' : 'due'}`, () => {
          assert.equal(isDue(cron, 0, date.getTime()), due);
          assert.equal(isDue({ ...cron, negate: true }, 0, date.getTime()), !due);
        });
      }
      it('a single minute', () => {
        const at = { kind: 'cron', expression: '30 9 * * *', negate: false } as const;
        assert.equal(isDue(at, 0, new Date(2026, 10, 23, 9, 30, 59).getTime()), true);
        assert.equal(isDue(at, 0, new Date(2026, 10, 23, 9, 31).getTime()), false);
      });
    });
  });

  it('createCycle shares one computation between callers', async () => {
    const cycle = createCycle(3);
    let calls = 0;
    const results = await Promise.all([1, 2, 3].map(() => cycle.memo('proc', async () => {
      calls++;
      await sleep(10);
      return 'scan';
    })));
    assert.deepEqual(results, ['scan', 'scan', 'scan']);
    assert.equal(calls, 1);
    assert.equal(cycle.number, 3);
    assert.equal(await cycle.memo('other', () => 7), 7, 'another key computes');
  });

  it('createCycle memoSync computes once per key and keeps no throw', () => {
    const cycle = createCycle(1);
    let calls = 0;
    const read = () => ++calls;
    assert.deepEqual([cycle.memoSync('meminfo', read), cycle.memoSync('meminfo', read)], [1, 1]);
    assert.equal(cycle.memoSync('uptime', read), 2);
    assert.throws(() => cycle.memoSync('gone', () => { throw new Error('no /proc'); }), /no \/proc/);
    assert.equal(cycle.memoSync('gone', () => 'back'), 'back');
    assert.equal(createCycle(2).memoSync('meminfo', read), 3, 'the next cycle reads again');
  });

  it('checks prerequisites before their dependants', async () => {
    const { scheduler, trace, engine } = setup(`
check job c depends on b
  if wait 5 then alert
check job b depends on a
  if wait 5 then alert
check job a
  if wait 40 then alert
check job free
  if wait 5 then alert
`);
    await scheduler.runCycle();
    const e = trace.events;
    assert.ok(e.indexOf('a:end') < e.indexOf('b:start'), e.join(' '));
    assert.ok(e.indexOf('b:end') < e.indexOf('c:start'), e.join(' '));
    assert.ok(e.indexOf('free:end') < e.indexOf('a:end'), 'an independent service does not wait');
    assert.equal(engine.cycle, 1);
  });

  for (const concurrency of [1, 2, 4]) {
    it(`checks at most ${concurrency} service(s) at once`, async () => {
      const services = [1, 2, 3, 4, 5].map((i) => `check job s${i}\n  if wait 30 then alert`).join('\n');
      const { scheduler, trace } = setup(services, { concurrency });
      await scheduler.runCycle();
      assert.equal(trace.maxRunning, concurrency);
      assert.equal(trace.events.length, 10);
    });
  }

  it('runs `every 2 cycles` services in cycles 1, 3, 5', async () => {
    const { scheduler, trace } = setup('check job some every 2 cycles\n  if wait 1 then alert\ncheck job all\n  if wait 1 then alert');
    for (let i = 0; i < 5; i++) await scheduler.runCycle();
    assert.equal(trace.events.filter((e) => e === 'some:start').length, 3);
    assert.equal(trace.events.filter((e) => e === 'all:start').length, 5);
  });

  it('skips services that are not monitored', async () => {
    const { scheduler, trace, engine } = setup('check job a\n  if wait 1 then alert');
    engine.unmonitor(engine.services.get('a')!);
    await scheduler.runCycle();
    assert.deepEqual(trace.events, []);
  });

  it('wake() starts the next cycle before the interval, also when called during a cycle', async () => {
    const { scheduler, engine } = setup('check job a\n  if wait 100 then alert', { intervalMs: 60_000 });
    scheduler.start();
    try {
      await until('cycle 1', () => engine.cycle === 1);
      await sleep(20);
      scheduler.wake(); // during cycle 1
      await until('cycle 2', () => engine.cycle === 2);
      await until('cycle 2 to end', () => engine.services.get('a')!.status.lastCheck !== undefined);
      await sleep(150);
      assert.equal(engine.cycle, 2, 'then it sleeps');
      scheduler.wake(); // while sleeping
      await until('cycle 3', () => engine.cycle === 3);
    } finally {
      await scheduler.stop();
    }
  });

  it('stop() aborts the checks in flight and ends the loop', async () => {
    const { scheduler, trace, store, log, engine } = setup('check job slow\n  if wait 5000 then alert\ncheck job quick\n  if wait 1 then alert');
    scheduler.start();
    await until('the slow check to start and the quick one to end', () => trace.events.includes('slow:start') && trace.events.includes('quick:end'));
    const started = Date.now();
    await scheduler.stop();
    assert.ok(Date.now() - started < 1000, `stop took ${Date.now() - started} ms`);
    assert.deepEqual(trace.aborted, ['slow']);
    assert.ok(!log.lines.some((l) => l.startsWith(`error 'slow'`)), 'an aborted probe is not judged');
    assert.equal(engine.services.get('slow')!.status.rules[0]!.state, 'init');
    assert.equal(store.lastCycle !== undefined, true);
    await scheduler.runCycle();
    assert.equal(trace.events.filter((e) => e === 'quick:start').length, 1, 'no check after stop');
  });
});
