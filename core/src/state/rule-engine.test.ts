import assert from 'node:assert/strict';
import type { Condition, Operator } from '@warden/sdk';
import type { ActionSpec } from '../config/model.js';
import {
  evaluateRule,
  HISTORY_LIMIT,
  initialRuleState,
  type Evaluation,
  type Outcome,
  type RuleSpec,
  type RuleState,
} from './rule-engine.js';

const pos = { file: '/etc/monitrc', line: 7 };
const action = (name: string, repeat?: number): ActionSpec =>
  repeat === undefined ? { name, describe: name, pos } : { name, describe: name, pos, repeat };

const STATE: Condition = { kind: 'state' };
const INVERTED: Condition = { kind: 'state', invert: true };
const CHANGED: Condition = { kind: 'changed' };
const cmp = (op: Operator, value: number): Condition => ({
  kind: 'compare',
  comparison: { op, value, unit: 'none', text: String(value) },
});

function rule(over: Partial<RuleSpec> = {}): RuleSpec {
  return {
    condition: STATE,
    event: 'connection',
    rate: { times: 1, cycles: 1 },
    elseRate: { times: 1, cycles: 1 },
    action: action('alert'),
    ...over,
  };
}

/**
 * Outcomes: `F` failed, `O` ok, `E` error, `S` skipped, `T` timeout; a number or any other
 * string is an `ok` outcome carrying that value.
 */
type Step = 'F' | 'O' | 'E' | 'S' | 'T' | number | string;

function outcome(step: Step): Outcome {
  switch (step) {
    case 'F': return { status: 'failed', code: 'x.failed', message: 'failed here' };
    case 'O': return { status: 'ok', message: 'fine' };
    case 'E': return { status: 'error', message: 'probe broke' };
    case 'S': return { status: 'skipped', message: 'not yet' };
    case 'T': return { status: 'timeout', message: 'timed out' };
    default: return { status: 'ok', message: `value ${step}`, value: step };
  }
}

/**
 * One expected step: `STATUS [+EVENT] [~FAILURES/NEEDED] [*] [?]` where `*` = failing for
 * the service status and `?` = no data. Every field not written must be absent or false.
 */
function render(e: Evaluation): string {
  const parts: string[] = [e.state.status];
  if (e.event) parts.push(`+${e.event.state}`);
  if (e.pending) parts.push(`~${e.pending.failures}/${e.pending.needed}`);
  if (e.failing) parts.push('*');
  if (e.noData) parts.push('?');
  return parts.join(' ');
}

interface Row {
  name: string;
  rule: RuleSpec;
  steps: Step[];
  expect: string[];
  /** The names of every event's actions, in order. */
  actions?: string[];
}

const compareRows: Row[] = ([
  ['>', 80, [80, 81, 79]],
  ['>=', 80, [79, 80, 79]],
  ['<', 10, [10, 9, 11]],
  ['<=', 10, [11, 10, 11]],
  ['=', 0, [1, 0, 2]],
  ['!=', 0, [0, 3, 0]],
] as const).map(([op, threshold, values]) => ({
  name: `compare: if value ${op} ${threshold} (${values.join(', ')})`,
  rule: rule({ condition: cmp(op, threshold), event: 'resource' }),
  steps: [...values],
  expect: ['ok', 'failed +failed *', 'ok +succeeded'],
  actions: ['alert', 'alert'],
}));

const rows: Row[] = [
  {
    name: 'if failed … then alert: fail and recover with the default alert',
    rule: rule(),
    steps: ['O', 'F', 'F', 'O', 'O'],
    expect: ['ok', 'failed +failed *', 'failed *', 'ok +succeeded', 'ok'],
    actions: ['alert', 'alert'],
  },
  {
    name: 'a failure on the first cycle fires at once',
    rule: rule(),
    steps: ['F', 'O'],
    expect: ['failed +failed *', 'ok +succeeded'],
  },
  {
    name: 'for 2 cycles then restart, then recovery',
    rule: rule({ rate: { times: 2, cycles: 2 }, action: action('restart') }),
    steps: ['O', 'F', 'F', 'F', 'O'],
    expect: ['ok', 'ok ~1/2', 'failed +failed *', 'failed *', 'ok +succeeded'],
    actions: ['restart', 'alert'],
  },
  {
    name: 'for 2 cycles: a single failure between successes never fires',
    rule: rule({ rate: { times: 2, cycles: 2 } }),
    steps: ['F', 'O', 'F', 'O'],
    expect: ['init ~1/2', 'ok', 'ok ~1/2', 'ok'],
  },
  {
    name: '3 times within 5 cycles: F,O,F,O,F fires on the 5th',
    rule: rule({ rate: { times: 3, cycles: 5 } }),
    steps: ['F', 'O', 'F', 'O', 'F'],
    expect: ['init ~1/3', 'ok', 'ok ~2/3', 'ok', 'failed +failed *'],
  },
  {
    name: '3 times within 5 cycles: F,F,O,O,O,F does not fire',
    rule: rule({ rate: { times: 3, cycles: 5 } }),
    steps: ['F', 'F', 'O', 'O', 'O', 'F'],
    expect: ['init ~1/3', 'init ~2/3', 'ok', 'ok', 'ok', 'ok ~2/3'],
  },
  {
    name: 'else if succeeded 2 cycles then exec',
    rule: rule({ elseRate: { times: 2, cycles: 2 }, elseAction: action('exec') }),
    steps: ['F', 'O', 'F', 'O', 'O', 'O'],
    expect: ['failed +failed *', 'failed *', 'failed *', 'failed *', 'ok +succeeded', 'ok'],
    actions: ['alert', 'exec'],
  },
  {
    name: 'else if succeeded 2 times within 3 cycles',
    rule: rule({ elseRate: { times: 2, cycles: 3 }, elseAction: action('exec') }),
    steps: ['F', 'O', 'F', 'O'],
    expect: ['failed +failed *', 'failed *', 'failed *', 'ok +succeeded'],
    actions: ['alert', 'exec'],
  },
  {
    name: 'explicit else alert',
    rule: rule({ action: action('restart'), elseAction: action('alert') }),
    steps: ['F', 'O'],
    expect: ['failed +failed *', 'ok +succeeded'],
    actions: ['restart', 'alert'],
  },
  {
    name: 'inverted: if succeeded port … fails when the probe succeeds',
    rule: rule({ condition: INVERTED }),
    steps: ['F', 'O', 'O', 'F', 'T'],
    expect: ['ok', 'failed +failed *', 'failed *', 'ok +succeeded', 'ok'],
  },
  ...compareRows,
  {
    name: 'compare: an outcome without a numeric value is no data',
    rule: rule({ condition: cmp('>', 80) }),
    steps: ['O', 'x', 90, 'F'],
    expect: ['init ?', 'init ?', 'failed +failed *', 'failed * ?'],
  },
  {
    name: 'changed: baseline, no change, change, no change, change back',
    rule: rule({ condition: CHANGED, event: 'checksum' }),
    steps: ['abc', 'abc', 'def', 'def', 'abc'],
    expect: ['ok', 'ok', 'ok +changed *', 'ok', 'ok +changed *'],
    actions: ['alert', 'alert'],
  },
  {
    name: 'changed: numbers, and no data before the baseline',
    rule: rule({ condition: CHANGED, event: 'pid', action: action('exec') }),
    steps: ['E', 'T', 100, 100, 101, 'S', 101],
    expect: ['init ?', 'init ?', 'ok', 'ok', 'ok +changed *', 'ok ?', 'ok'],
    actions: ['exec'],
  },
  {
    name: 'changed: a timeout is no data and keeps the reference',
    rule: rule({ condition: CHANGED }),
    steps: ['a', 'T', 'b'],
    expect: ['ok', 'ok ?', 'ok +changed *'],
  },
  {
    name: 'error and skipped keep the state (failed)',
    rule: rule(),
    steps: ['F', 'E', 'S', 'O'],
    expect: ['failed +failed *', 'failed * ?', 'failed * ?', 'ok +succeeded'],
  },
  {
    name: 'error and skipped keep the state (ok, init)',
    rule: rule(),
    steps: ['E', 'O', 'S', 'E'],
    expect: ['init ?', 'ok', 'ok ?', 'ok ?'],
  },
  {
    name: 'error does not break a run of consecutive failures',
    rule: rule({ rate: { times: 2, cycles: 2 } }),
    steps: ['F', 'E', 'F'],
    expect: ['init ~1/2', 'init ?', 'failed +failed *'],
  },
  {
    name: 'timeout on a state rule is a failure',
    rule: rule(),
    steps: ['T', 'T', 'O'],
    expect: ['failed +failed *', 'failed *', 'ok +succeeded'],
  },
  {
    name: 'timeout on a compare rule is no data',
    rule: rule({ condition: cmp('>', 80) }),
    steps: [90, 'T', 'T', 70],
    expect: ['failed +failed *', 'failed * ?', 'failed * ?', 'ok +succeeded'],
  },
  {
    name: 'exec repeat every 2 cycles re-fires while failing',
    rule: rule({ action: action('exec', 2) }),
    steps: ['F', 'F', 'F', 'F', 'F', 'O'],
    expect: ['failed +failed *', 'failed *', 'failed +failed *', 'failed *', 'failed +failed *', 'ok +succeeded'],
    actions: ['exec', 'exec', 'exec', 'alert'],
  },
  {
    name: 'exec repeat every 1 cycle re-fires each failing cycle',
    rule: rule({ action: action('exec', 1) }),
    steps: ['F', 'F', 'F'],
    expect: ['failed +failed *', 'failed +failed *', 'failed +failed *'],
    actions: ['exec', 'exec', 'exec'],
  },
  {
    name: 'without repeat the action runs once per failure',
    rule: rule({ action: action('exec') }),
    steps: ['F', 'F', 'F'],
    expect: ['failed +failed *', 'failed *', 'failed *'],
    actions: ['exec'],
  },
  {
    name: 'for 3 cycles: re-firing after recovery needs 3 new failures',
    rule: rule({ rate: { times: 3, cycles: 3 } }),
    steps: ['F', 'F', 'F', 'O', 'F', 'F', 'F'],
    expect: ['init ~1/3', 'init ~2/3', 'failed +failed *', 'ok +succeeded', 'ok ~1/3', 'ok ~2/3', 'failed +failed *'],
  },
  {
    name: '2 within 3: failures before the event do not count after recovery',
    rule: rule({ rate: { times: 2, cycles: 3 } }),
    steps: ['F', 'F', 'O', 'F', 'F'],
    expect: ['init ~1/2', 'failed +failed *', 'ok +succeeded', 'ok ~1/2', 'failed +failed *'],
  },
  {
    name: 'recovery rate counts only cycles after the failure event',
    rule: rule({ rate: { times: 1, cycles: 1 }, elseRate: { times: 2, cycles: 2 } }),
    steps: ['O', 'O', 'F', 'O', 'O'],
    expect: ['ok', 'ok', 'failed +failed *', 'failed *', 'ok +succeeded'],
  },
];

function run(r: RuleSpec, steps: readonly Step[]): Evaluation[] {
  let state: RuleState = initialRuleState();
  return steps.map((step) => {
    const e = evaluateRule(r, deepFreeze(state), outcome(step));
    state = e.state;
    return e;
  });
}

/** Frozen input proves the engine never mutates the previous state. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('rule engine', () => {
  describe('transitions', () => {
    for (const row of rows) {
      it(row.name, () => {
        assert.equal(row.steps.length, row.expect.length, 'row is malformed');
        const evaluations = run(row.rule, row.steps);
        assert.deepEqual(evaluations.map(render), row.expect);
        if (row.actions) {
          const names = evaluations.flatMap((e) => e.event?.actions.map((a) => a.name) ?? []);
          assert.deepEqual(names, row.actions);
        }
      });
    }
  });

  describe('events', () => {
    it('carry Monit text, the outcome message and the rule action', () => {
      const r = rule({ event: 'nonexist', action: action('restart') });
      const [down, up] = run(r, ['F', 'O']);
      assert.deepEqual(down?.event, {
        state: 'failed', cls: 'nonexist', text: 'Does not exist', description: 'failed here', actions: [r.action],
      });
      assert.deepEqual(up?.event, {
        state: 'succeeded', cls: 'nonexist', text: 'Exists', description: 'fine',
        actions: [{ name: 'alert', describe: 'alert', pos }],
      });
    });

    it('use the explicit else action itself', () => {
      const r = rule({ elseAction: action('exec') });
      const [, up] = run(r, ['F', 'O']);
      assert.equal(up?.event?.actions[0], r.elseAction);
    });

    it('say "Timeout" for a timeout event class and "Checksum changed" for changes', () => {
      const [t] = run(rule({ event: 'timeout' }), ['T']);
      assert.equal(t?.event?.text, 'Timeout');
      assert.equal(t?.event?.description, 'timed out');
      const changes = run(rule({ condition: CHANGED, event: 'checksum' }), ['a', 'b']);
      assert.equal(changes[1]?.event?.text, 'Checksum changed');
      assert.equal(changes[1]?.event?.description, 'value b');
    });
  });

  describe('state', () => {
    it('starts in init with nothing remembered', () => {
      assert.deepEqual(initialRuleState(), { status: 'init', history: [], lastValue: undefined, sinceAction: 0, message: undefined });
    });

    it('makes every state with the same fields in the same order (one shape for the engine to read)', () => {
      const keys = new Set<string>();
      const see = (state: RuleState) => keys.add(Object.keys(state).join());
      const changed = rule({ condition: CHANGED });
      const failed = rule({ action: action('alert', 1), rate: { times: 2, cycles: 3 } });
      let c = initialRuleState();
      let f = initialRuleState();
      see(c);
      for (const value of [1, 1, 2, 2, undefined]) {
        c = evaluateRule(changed, c, value === undefined ? { status: 'error', message: 'e' } : { status: 'ok', message: `v${value}`, value }).state;
        see(c);
      }
      for (const step of ['O', 'F', 'F', 'F', 'O', 'O', 'E'] as const) {
        f = evaluateRule(failed, f, outcome(step)).state;
        see(f);
      }
      assert.deepEqual([...keys], ['status,history,lastValue,sinceAction,message']);
    });

    it('keeps only the cycles its rates read, at most 64', () => {
      // A failure counted inside the window keeps the history growing up to the window.
      const windowed = run(rule({ rate: { times: 3, cycles: 10 }, elseRate: { times: 1, cycles: 4 } }), ['F', ...Array<Step>(30).fill('O')]);
      assert.equal(Math.max(...windowed.map((e) => e.state.history.length)), 10);
      assert.equal(windowed.at(-1)?.state.history.length, 10);
      const recovering = run(rule({ elseRate: { times: 2, cycles: 20 } }), Array<Step>(30).fill('F'));
      assert.equal(recovering.at(-1)?.state.status, 'failed');
      assert.equal(recovering.at(-1)?.state.history.length, 20);
      const capped = run(rule({ rate: { times: 64, cycles: 100 } }), ['F', ...Array<Step>(99).fill('O')]);
      assert.equal(HISTORY_LIMIT, 64);
      assert.equal(capped.at(-1)?.state.history.length, HISTORY_LIMIT);
    });

    it('a rule that only ever passed keeps one cycle: missing cycles count as passes', () => {
      const passing = run(rule({ rate: { times: 3, cycles: 10 } }), Array<Step>(70).fill('O'));
      assert.equal(passing.at(-1)?.state.history.length, 1);
      // Three failures then need three cycles, as from a whole window of passes.
      const late = run(rule({ rate: { times: 3, cycles: 10 } }), ['O', 'O', 'F', 'F', 'F']);
      assert.deepEqual(late.map((e) => e.event?.state), [undefined, undefined, undefined, undefined, 'failed']);
      assert.deepEqual(late.map((e) => e.pending?.failures), [undefined, undefined, 1, 2, undefined]);
    });

    it('a 64-cycle rate still works at the cap', () => {
      const r = rule({ rate: { times: 64, cycles: 64 } });
      const evaluations = run(r, Array<Step>(64).fill('F'));
      assert.equal(evaluations.at(-2)?.pending?.failures, 63);
      assert.equal(evaluations.at(-1)?.event?.state, 'failed');
    });

    it('records the last message even when nothing is judged', () => {
      const [, e] = run(rule(), ['O', 'E']);
      assert.equal(e?.state.message, 'probe broke');
    });

    it('keeps the very state object while a passing rule moves nothing (only passes, the same message)', () => {
      const r = rule({ rate: { times: 2, cycles: 3 } });
      const [, , a, b, c, d] = run(r, ['O', 'O', 'O', 'O', 'F', 'O']);
      assert.equal(b!.state, a!.state);
      assert.notEqual(c!.state, b!.state); // a failure counts
      assert.notEqual(d!.state, c!.state);
      const changed = run(rule({ condition: CHANGED }), [1, 1, 1, 2]);
      assert.equal(changed[2]!.state, changed[1]!.state);
      assert.notEqual(changed[3]!.state, changed[2]!.state);
      assert.equal(changed[3]!.event?.state, 'changed');
      // A new message is a new state: status shows the last one.
      const [x, y] = run(rule({ condition: cmp('>', 5) }), [1, 2]);
      assert.notEqual(y!.state, x!.state);
      assert.equal(y!.state.message, 'value 2');
    });

    it('updates the reference value of a changed rule', () => {
      const evaluations = run(rule({ condition: CHANGED }), [1, 2, 2]);
      assert.deepEqual(evaluations.map((e) => e.state.lastValue), [1, 2, 2]);
    });

    it('counts cycles since the action ran', () => {
      const evaluations = run(rule(), ['F', 'F', 'F']);
      assert.deepEqual(evaluations.map((e) => e.state.sinceAction), [0, 1, 2]);
    });
  });
});
