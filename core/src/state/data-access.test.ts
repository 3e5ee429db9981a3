import assert from 'node:assert/strict';
import type { Outcome } from './rule-engine.js';
import { initialRuleState, type RuleState } from './rule-engine.js';
import { evaluateDataAccess } from './data-access.js';

const pos = { file: 'rc', line: 1, column: 1 };
const denied: Outcome = { status: 'failed', code: 'x.denied', message: 'EACCES', event: 'data' };
const works: Outcome = { status: 'ok', message: 'fine' };
const fails: Outcome = { status: 'failed', code: 'x.bad', message: 'bad' };
const broken: Outcome = { status: 'error', message: 'broken' };
const late: Outcome = { status: 'timeout', message: 'late' };

describe('evaluateDataAccess', () => {
  // Outcomes cycle by cycle → the event texts ('-' none, '' nothing to do).
  const table: Array<[string, Outcome[], string[]]> = [
    ['a working probe never touches the side state', [works, fails, broken], ['', '', '']],
    ['one error event, then quiet while it lasts', [denied, denied, denied], ['Data access error', '-', '-']],
    ['recovers on the first working cycle, failed or ok', [denied, fails, denied, works], ['Data access error', 'Data access succeeded', 'Data access error', 'Data access succeeded']],
    ['an error or a timeout is no recovery', [denied, broken, late, works], ['Data access error', '', '', 'Data access succeeded']],
  ];
  for (const [name, outcomes, expected] of table) {
    it(name, () => {
      let state: RuleState = initialRuleState();
      const seen = outcomes.map((o) => {
        const ev = evaluateDataAccess(pos, state, o);
        if (!ev) return '';
        state = ev.state;
        return ev.event?.text ?? '-';
      });
      assert.deepEqual(seen, expected);
    });
  }

  it('raises the data class with the default alert and the probe message', () => {
    const ev = evaluateDataAccess(pos, initialRuleState(), denied)!;
    assert.equal(ev.event?.cls, 'data');
    assert.equal(ev.event?.state, 'failed');
    assert.equal(ev.event?.description, 'EACCES');
    assert.deepEqual(ev.event?.actions.map((a) => a.name), ['alert']);
    assert.equal(ev.failing, true);
  });
});
