import assert from 'node:assert/strict';
import { defineServiceType, defineTest, ok, type ProbeResult } from '@warden/sdk';
import { FakeClock } from '@warden/sdk/testing';
import { fakeRegistry, parseText } from '../config/monitrc/fake-registry.js';
import { initialRuleState } from '../state/rule-engine.js';
import { checkService, type CheckReport } from './check-service.js';
import { createCycle, Scheduler } from './scheduler.js';
import type { ServiceRuntime } from './service-runtime.js';
import { testEngine } from './test-kit.js';
import type { EngineDeps } from './types.js';

/** What a `tank` service observes (its level) and how many probe runs there were. */
interface World {
  level: number;
  /** Epoch milliseconds the tank was last filled (read by `age`, a clock test). */
  filled: number;
  fails: boolean;
  runs: number;
}

/**
 * A `tank` service type that can tell its targets apart, and three tests on it: `level`
 * (compare or changed) and `age` (compared with the clock, never steady). `steady` says
 * whether `level` declares itself steady, so one script runs with and without resting.
 */
function registry(world: World, steady: boolean) {
  const tank = defineServiceType<Record<string, never>, { level: number; fails: boolean }>({
    name: 'tank', summary: 'a tank', keywords: ['tank'], monitType: 'file', parseTarget: () => ({}),
    observe: () => ({ level: world.level, fails: world.fails }),
    observations: (t) => ({ level: t.level }),
    sameTarget: (a, b) => a.level === b.level && a.fails === b.fails,
  });
  const level = defineTest<Record<string, never>, { level: number; fails: boolean }>({
    name: 'tank.level', summary: 'level', serviceTypes: ['tank'], keywords: ['level'], polarities: ['none', 'changed'], event: 'resource', codes: {},
    parse(ts, ctx) {
      ts.expect('level');
      if (ctx.polarity === 'changed') return { options: {}, condition: { kind: 'changed' }, describe: 'changed level' };
      const c = ts.comparison(['none']);
      return { options: {}, condition: { kind: 'compare', comparison: c }, describe: `level ${c.op} ${c.text}` };
    },
    run(ctx): ProbeResult {
      world.runs++;
      // Like `changed timestamp`: the message tells a change from the run before.
      const { level } = ctx.target;
      const before = ctx.state.level;
      ctx.state.level = level;
      const message = before !== undefined && before !== level ? `level went from ${String(before)} to ${level}` : `level is ${level}`;
      return ok(message, { value: level, observations: { seen: level } });
    },
    steady: () => steady,
  });
  const state = defineTest<Record<string, never>, { level: number; fails: boolean }>({
    name: 'tank.leak', summary: 'leak', serviceTypes: ['tank'], keywords: ['leak'], polarities: ['failed'], event: 'status', codes: { 'tank.leak': 'leaks' },
    parse(ts) {
      ts.expect('leak');
      return { options: {}, condition: { kind: 'state' }, describe: 'failed leak' };
    },
    run(ctx): ProbeResult {
      world.runs++;
      return ctx.target.fails ? { status: 'failed', code: 'tank.leak', message: 'leaking' } : ok('tight');
    },
    steady: () => steady,
  });
  const age = defineTest<Record<string, never>, { level: number }>({
    name: 'tank.age', summary: 'age', serviceTypes: ['tank'], keywords: ['age'], polarities: ['none'], event: 'timestamp', codes: {},
    parse(ts) {
      ts.expect('age');
      const c = ts.comparison(['ms']);
      return { options: {}, condition: { kind: 'compare', comparison: c }, describe: `age ${c.op} ${c.text}` };
    },
    run(ctx): ProbeResult {
      world.runs++;
      return ok('age', { value: ctx.clock.now() - world.filled });
    },
  });
  return fakeRegistry([tank, level, state, age]);
}

function setup(rules: string, steady: boolean, world: World, clock = new FakeClock(1_000_000)) {
  const t = testEngine(parseText(`check tank t\n${rules}`, registry(world, steady)));
  const deps: EngineDeps = { ...t.deps, clock };
  const rt = t.engine.services.get('t')!;
  let n = 0;
  const check = () => checkService(rt, deps, createCycle(++n), new AbortController().signal) as CheckReport;
  /** A check of more rules than run at once (`RULE_CONCURRENCY`) answers with a promise. */
  const checkAsync = () => checkService(rt, deps, createCycle(++n), new AbortController().signal);
  const checks = () => t.metrics.all().filter((s) => s.name === 'warden_checks_total' && s.labels.service === 't').map((s) => `${s.labels.result}=${s.value}`).sort();
  return { ...t, deps, rt, check, checkAsync, checks, clock };
}

/** Everything a check leaves that anyone can see, but the durations it measured. */
function seen(rt: ServiceRuntime, report: CheckReport, lines: string[], checks: string[]) {
  const { lastCheck: _at, lastDurationMs: _took, rules, ...status } = rt.status;
  return {
    events: report.events.map((e) => `${e.rule.id} ${e.event.text}: ${e.event.description} -> ${e.event.actions.map((a) => a.name).join(',')}`),
    ongoing: report.ongoing.map((r) => r.id),
    status: JSON.parse(JSON.stringify(status)) as unknown,
    rules: rules.map(({ durationMs: _d, ...r }) => r),
    states: rt.ruleStates.map(({ sinceAction: _s, ...s }) => s),
    lines,
    checks,
  };
}

describe('a resting service (steady tests on a target that did not move)', () => {
  const fresh = (): World => ({ level: 1, filled: 1_000_000, fails: false, runs: 0 });

  // Each script: rules and, per cycle, the tank's level (and leak). With and without resting,
  // every cycle must look the same from outside: events, status, rule states, logs, counters.
  const scripts: Array<{ name: string; rules: string; levels: number[]; leaks?: number[] }> = [
    {
      name: '`for 3 cycles` counts a failure from its first cycle, also after a long rest',
      rules: '  if level > 3 for 3 cycles then alert\n  if changed level then alert\n',
      levels: [1, 1, 1, 1, 1, 5, 5, 5, 5, 5, 1, 1, 1, 1, 5, 1, 1, 1, 1],
    },
    {
      name: '`X times within Y cycles` both ways, with spikes between rests',
      rules: '  if level > 3 2 times within 4 cycles then alert else if succeeded 2 times within 3 cycles then alert\n',
      levels: [1, 1, 1, 5, 1, 1, 1, 1, 5, 1, 1, 5, 5, 1, 1, 1, 1, 1, 1, 1],
    },
    {
      name: 'a failure that lasts repeats its action and never rests',
      rules: '  if level > 3 then exec "/bin/true" repeat every 2 cycles\n',
      levels: [1, 1, 1, 5, 5, 5, 5, 5, 5, 1, 1, 1, 1],
    },
    {
      name: '`changed` with a rate',
      rules: '  if changed level 2 times within 3 cycles then alert\n',
      levels: [1, 1, 1, 2, 2, 2, 2, 3, 4, 4, 4, 4, 4, 5, 5, 6, 6, 6, 6],
    },
    {
      name: 'a passing level that moves: its message follows the probe, not the rest',
      rules: '  if level > 5 then alert\n',
      levels: [1, 1, 1, 2, 2, 2, 2, 3, 1, 1, 1],
    },
    {
      name: 'a clock rule beside steady ones: they rest alone, and wake when the level moves',
      rules: '  if age > 10 seconds then alert\n  if level > 3 for 2 cycles then alert\n  if changed level then alert\n',
      levels: [1, 1, 1, 1, 5, 5, 5, 1, 1, 1, 1, 2, 2, 2],
    },
    {
      name: 'a clock rule beside 35 steady ones (more than a bit mask holds): they rest alone, and wake when the level moves',
      rules: `  if age > 10 seconds then alert\n${Array.from({ length: 35 }, (_, i) => `  if level > ${i + 1} then alert\n`).join('')}`,
      levels: [1, 1, 1, 1, 40, 40, 40, 1, 1, 1, 33, 33, 33, 1, 1],
    },
    {
      name: 'a state test, failing and recovering',
      rules: '  if failed leak for 2 cycles then alert\n  if level > 10 then alert\n',
      levels: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      leaks: [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0],
    },
  ];
  for (const script of scripts) {
    it(script.name, async () => {
      const worlds = [fresh(), fresh()];
      const runs = [true, false].map((steady, i) => setup(script.rules, steady, worlds[i]!));
      for (let c = 0; c < script.levels.length; c++) {
        const views = [];
        for (const [i, r] of runs.entries()) {
          worlds[i]!.level = script.levels[c]!;
          worlds[i]!.fails = script.leaks?.[c] === 1;
          const before = r.log.lines.length;
          // More rules than a check probes at once: its probes run through a bounded pool (a promise).
          const report = await r.checkAsync();
          views.push(seen(r.rt, report, r.log.lines.slice(before), r.checks()));
        }
        assert.deepEqual(views[0], views[1], `cycle ${c + 1} (level ${script.levels[c]})`);
      }
      // Resting did happen: fewer probe runs with steady tests.
      assert.ok(worlds[0]!.runs < worlds[1]!.runs, `runs ${worlds[0]!.runs} vs ${worlds[1]!.runs}`);
    });
  }

  it('stops probing once the rules settle, and probes again as soon as the target moves', () => {
    const world = fresh();
    const { check, rt, checks } = setup('  if level > 3 then alert\n', true, world);
    check();
    check();
    assert.equal(world.runs, 2);
    const at = rt.status.lastCheck;
    for (let i = 0; i < 5; i++) check();
    assert.equal(world.runs, 2, 'resting: no probe runs');
    assert.deepEqual(checks(), ['ok=7']);
    assert.ok(rt.status.lastCheck! >= at!);
    world.level = 5;
    const report = check();
    assert.equal(world.runs, 3);
    assert.deepEqual(report.events.map((e) => e.event.text), ['Resource limit matched']);
    assert.equal(rt.status.status, 'Resource limit matched');
  });

  it('a type whose observations move while its tests rest (a process\'s uptime): the rest goes on, the observation follows', () => {
    const world = fresh();
    const { check, rt } = setup('  if level > 3 then alert\n', true, world);
    // Like a quiet process: the same target object every cycle, its uptime moved in place.
    const kept = { level: 1, fails: false, hours: 0 };
    const definition = rt.model.definition as { observe: unknown; observations: unknown; sameTarget: unknown; observationsMove: boolean };
    definition.observe = () => kept;
    definition.observations = (t: typeof kept) => ({ level: t.level, hours: t.hours });
    definition.sameTarget = (a: unknown, b: unknown) => a === b;
    definition.observationsMove = true;
    check();
    check();
    assert.equal(world.runs, 2);
    for (let hours = 1; hours <= 3; hours++) {
      kept.hours = hours;
      check();
      assert.equal(world.runs, 2, 'resting: no probe runs');
      assert.deepEqual(rt.status.observations, { level: 1, hours, seen: 1 }, 'the type\'s observations again, the probe\'s kept');
    }
  });

  it('a clock test keeps its own rule awake (an age becomes too old while nothing else moves), the steady one beside it rests', () => {
    const world = fresh();
    const { check, clock } = setup('  if age > 10 seconds then alert\n  if level > 3 then alert\n', true, world);
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(check().events, []);
      clock.advance(1000);
    }
    clock.advance(10_000);
    assert.deepEqual(check().events.map((e) => e.event.text), ['Timestamp failed']);
    assert.equal(world.runs, 6 + 2, 'age every check; level on the first two only');
    world.level = 5;
    assert.deepEqual(check().events.map((e) => e.event.text), ['Resource limit matched'], 'the target moved: level is probed again');
    assert.equal(world.runs, 10);
  });

  it('a rule state replaced from outside (a reset) ends the rest', () => {
    const world = fresh();
    const { check, rt } = setup('  if changed level then alert\n', true, world);
    check();
    check();
    check();
    assert.equal(world.runs, 2);
    rt.ruleStates[0] = initialRuleState();
    check();
    assert.equal(world.runs, 3, 'the reset rule is judged again (a new baseline)');
    assert.equal(rt.ruleStates[0]!.lastValue, 1);
  });

  it('an observation that fails ends the rest and its status is mended by the next check', () => {
    const world = fresh();
    const { check, rt, deps } = setup('  if level > 3 then alert\n', true, world);
    check();
    check();
    const observe = rt.model.definition.observe!;
    (rt.model.definition as { observe: unknown }).observe = () => {
      throw new Error('gone');
    };
    try {
      check();
    } finally {
      (rt.model.definition as { observe: unknown }).observe = observe;
    }
    assert.equal(rt.status.status, 'Data access error');
    checkService(rt, deps, createCycle(99), new AbortController().signal);
    assert.equal(rt.status.status, 'OK');
    assert.equal(world.runs, 3);
  });

  describe('in the scheduler', () => {
    function scheduled(text: string, world: World) {
      const t = testEngine(parseText(text, registry(world, true)));
      const scheduler = new Scheduler(t.engine, t.dispatcher, t.deps, t.store, { intervalMs: 60_000, startDelayMs: 0, concurrency: 8 });
      return { ...t, scheduler, rt: t.engine.services.get('t')! };
    }

    it('`every 2 cycles`: checked (and counted) only when due, resting or not', async () => {
      const world = fresh();
      const { scheduler, metrics } = scheduled('check tank t\n  every 2 cycles\n  if level > 3 then alert\n', world);
      for (let i = 0; i < 8; i++) await scheduler.runCycle();
      const total = metrics.all().find((s) => s.name === 'warden_checks_total' && s.labels.service === 't')!;
      assert.equal(total.value, 4);
      assert.equal(world.runs, 2);
      await scheduler.stop();
    });

    it('unmonitor then monitor: the first check after is a full one and sets the status again', async () => {
      const world = fresh();
      const { scheduler, engine, rt } = scheduled('check tank t\n  if level > 3 then alert\n', world);
      for (let i = 0; i < 3; i++) await scheduler.runCycle();
      assert.equal(world.runs, 2);
      engine.unmonitor(rt);
      await scheduler.runCycle();
      assert.equal(rt.status.status, 'Not monitored');
      engine.monitor(rt);
      assert.equal(rt.status.monitor, 'initializing');
      await scheduler.runCycle();
      assert.equal(world.runs, 3);
      assert.equal(rt.status.monitor, 'monitored');
      assert.equal(rt.status.status, 'OK');
      await scheduler.stop();
    });
  });
});
