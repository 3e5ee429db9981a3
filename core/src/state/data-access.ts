import type { SourcePos } from '@warden/sdk';
import { evaluateRule, type Evaluation, type Outcome, type RuleSpec, type RuleState } from './rule-engine.js';

/**
 * The rule behind a `Data access error`: a `state` condition, rate 1 of 1 both ways, the
 * default alert on failure and on recovery (Monit posts `Event_Data` with the service's alert).
 */
export function dataAccessSpec(pos: SourcePos): RuleSpec {
  const once = { times: 1, cycles: 1 };
  return {
    condition: { kind: 'state' },
    event: 'data',
    rate: once,
    elseRate: once,
    action: { name: 'alert', describe: 'alert', pos },
  };
}

/**
 * Move a rule's data-access side state on: an outcome carrying `event: 'data'` is a failure;
 * any other outcome in which the probe worked (`ok` or `failed`) is a success. Undefined when
 * there is nothing to do (the probe did not work for another reason, or access never failed).
 */
export function evaluateDataAccess(pos: SourcePos, prev: RuleState, outcome: Outcome): Evaluation | undefined {
  if (outcome.status !== 'timeout' && outcome.event === 'data') return evaluateRule(dataAccessSpec(pos), prev, outcome);
  if (prev.status !== 'failed') return undefined;
  if (outcome.status !== 'ok' && outcome.status !== 'failed') return undefined;
  return evaluateRule(dataAccessSpec(pos), prev, { status: 'ok', message: outcome.message });
}
