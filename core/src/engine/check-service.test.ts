import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataError, defineServiceType, defineTest, fail, ok, type ProbeResult } from '@warden/sdk';
import { fakeRegistry, parseText } from '../config/monitrc/fake-registry.js';
import { checkService } from './check-service.js';
import { createCycle } from './scheduler.js';
import { testEngine } from './test-kit.js';

/** Per test: what the `read` probes return, cycle by cycle, and how many ran at once. */
interface Script {
  results: Record<string, ProbeResult[]>;
  running: number;
  maxRunning: number;
  /** The `stat` each probe's context carried. */
  stats: unknown[];
}

/** A `box` service whose `if read NAME [wait MS]` test returns the next scripted result. */
function registry(script: Script) {
  const box = defineServiceType<Record<string, never>>({ name: 'box', summary: 'a box', keywords: ['box'], monitType: 'program', parseTarget: () => ({}) });
  const read = defineTest<{ name: string; ms: number }>({
    name: 'box.read', summary: 'reads', serviceTypes: ['box'], keywords: ['read'], polarities: ['failed'], event: 'content', codes: { 'box.denied': 'no access', 'box.bad': 'bad' },
    parse(ts) {
      ts.expect('read');
      const name = ts.next().text;
      const ms = ts.accept('wait') ? ts.integer() : 0;
      return { options: { name, ms }, condition: { kind: 'state' }, describe: `read ${name}` };
    },
    async run(ctx) {
      script.stats.push(ctx.stat);
      script.running++;
      script.maxRunning = Math.max(script.maxRunning, script.running);
      try {
        if (ctx.options.ms > 0) await sleep(ctx.options.ms, undefined, { signal: ctx.signal });
      } finally {
        script.running--;
      }
      return script.results[ctx.options.name]!.shift() ?? ok('readable');
    },
  });
  return fakeRegistry([box, read]);
}

function setup(text: string, results: Record<string, ProbeResult[]> = {}) {
  const script: Script = { results, running: 0, maxRunning: 0, stats: [] };
  const t = testEngine(parseText(text, registry(script)));
  const rt = t.engine.services.get('b')!;
  let n = 0;
  const check = () => checkService(rt, t.deps, createCycle(++n), new AbortController().signal);
  return { ...t, rt, script, check };
}

describe('checkService', () => {
  it("hands probes the engine's stat (core's addon), not one of their own", async () => {
    const t = setup('check box b\n  if failed read x then alert\n');
    await t.check();
    assert.deepEqual(t.script.stats, [t.deps.stat]);
  });

  describe('Data access error', () => {
    const denied = () => dataError('box.denied', 'cannot read x -- EACCES');
    // Per cycle: what the probe returns → the events raised and the service status.
    const table: Array<{ name: string; results: ProbeResult[]; events: string[][]; status: string[] }> = [
      {
        name: 'raised once while it lasts, recovered when the probe works again',
        results: [ok('fine'), denied(), denied(), ok('fine'), ok('fine')],
        events: [[], ['data Data access error'], [], ['data Data access succeeded'], []],
        status: ['OK', 'Data access error', 'Data access error', 'OK', 'OK'],
      },
      {
        name: 'the rule is not judged meanwhile; a real failure afterwards is its own event',
        results: [denied(), fail('box.bad', 'bad content'), fail('box.bad', 'bad content'), ok('fine')],
        events: [['data Data access error'], ['data Data access succeeded', 'content Content failed'], [], ['content Content succeeded']],
        status: ['Data access error', 'Content failed', 'Content failed', 'OK'],
      },
      {
        name: 'a rule failing before its data went away still counts as failing',
        results: [fail('box.bad', 'bad'), denied(), ok('fine'), ok('fine')],
        events: [['content Content failed'], ['data Data access error'], ['data Data access succeeded', 'content Content succeeded'], []],
        status: ['Content failed', 'Data access error', 'OK', 'OK'],
      },
    ];
    for (const row of table) {
      it(row.name, async () => {
        const { check, rt } = setup('check box b\n  if failed read x then alert\n', { x: row.results });
        for (let i = 0; i < row.results.length; i++) {
          const report = await check();
          assert.deepEqual(report.events.map((e) => `${e.event.cls} ${e.event.text}`), row.events[i], `cycle ${i + 1}`);
          assert.equal(rt.status.status, row.status[i], `cycle ${i + 1}`);
        }
      });
    }

    it('alerts with the default alert, whatever the rule action', async () => {
      const { check } = setup('check box b\n  if failed read x then exec "/bin/true"\n', { x: [denied()] });
      const report = await check();
      assert.deepEqual(report.events[0]!.event.actions.map((a) => a.name), ['alert']);
      assert.equal(report.events[0]!.event.description, 'cannot read x -- EACCES');
    });
  });

  describe('rules of one service', () => {
    it('probe concurrently, bounded, and judge in rule order', async () => {
      const rules = Array.from({ length: 40 }, (_, i) => `  if failed read r${i} wait ${i % 2 === 0 ? 60 : 5} then alert\n`).join('');
      const results = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`r${i}`, [i % 3 === 0 ? fail('box.bad', `bad ${i}`) : ok(`fine ${i}`)]]));
      const { check, script, rt, log } = setup(`check box b\n${rules}`, results);
      const started = Date.now();
      const report = await check();
      const took = Date.now() - started;
      assert.equal(script.maxRunning, 16);
      // 40 probes of ≤ 60 ms, 16 at a time: a few rounds, far below 40 × latency.
      assert.ok(took < 1000, `took ${took} ms`);
      const failed = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 === 0);
      assert.deepEqual(report.events.map((e) => e.event.description), failed.map((i) => `bad ${i}`));
      assert.deepEqual(rt.status.rules.map((r) => r.message), Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `bad ${i}` : `fine ${i}`)));
      const logged = log.lines.filter((l) => /(bad|fine) \d+$/.test(l)).map((l) => Number(/(\d+)$/.exec(l)![1]));
      assert.deepEqual(logged, Array.from({ length: 40 }, (_, i) => i));
    });
  });

  describe('observations', () => {
    /** A `gauge` service observing `{ level }` (scripted per cycle), with a `peek` test reporting `{ peek }`. */
    function gauge(levels: number[], peeks: ProbeResult[]) {
      const type = defineServiceType<Record<string, never>, { level: number }>({
        name: 'gauge', summary: 'a gauge', keywords: ['gauge'], monitType: 'program', parseTarget: () => ({}),
        observe: () => ({ level: levels.shift() ?? 0 }),
        observations: (t) => ({ level: t.level }),
      });
      const peek = defineTest<Record<string, never>>({
        name: 'gauge.peek', summary: 'peeks', serviceTypes: ['gauge'], keywords: ['peek'], polarities: ['failed'], event: 'content', codes: {},
        parse(ts) {
          ts.expect('peek');
          return { options: {}, condition: { kind: 'state' }, describe: 'peek' };
        },
        run: () => peeks.shift() ?? ok('fine'),
      });
      const t = testEngine(parseText('check gauge g\n  if failed peek then alert\n', fakeRegistry([type, peek])));
      const rt = t.engine.services.get('g')!;
      let n = 0;
      return { rt, check: () => checkService(rt, t.deps, createCycle(++n), new AbortController().signal) };
    }

    it('follow each check, and what a probe did not report again is gone', async () => {
      const { rt, check } = gauge([1, 2, 2, 3], [ok('a', { observations: { peek: 7 } }), ok('b', { observations: { peek: 8 } }), dataError('gauge.x', 'cannot peek'), ok('c')]);
      const seen: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 4; i++) {
        await check();
        seen.push({ ...rt.status.observations });
      }
      assert.deepEqual(seen, [{ level: 1, peek: 7 }, { level: 2, peek: 8 }, { level: 2 }, { level: 3 }]);
    });

    it('a probe\'s report wins a key the type reports too, and the same view is handed out until a check moves it', async () => {
      const { rt, check } = gauge([1, 2], [ok('a', { observations: { level: 40 } }), ok('b')]);
      await check();
      const first = rt.status.observations;
      assert.deepEqual(first, { level: 40 });
      assert.equal(rt.status.observations, first, 'read twice, one view');
      assert.deepEqual(JSON.parse(JSON.stringify(rt.status)).observations, { level: 40 }, 'serialized with the status');
      await check();
      assert.deepEqual(rt.status.observations, { level: 2 }, 'the probe no longer reports it: the type\'s value');
      assert.deepEqual(first, { level: 40 }, 'a view handed out before does not change under its reader');
    });
  });
});
