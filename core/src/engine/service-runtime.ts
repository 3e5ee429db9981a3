import { isDeepStrictEqual } from 'node:util';
import type { PersistStore } from '@warden/sdk';
import type { ServiceModel } from '../config/model.js';
import { initialRuleState, type RuleState } from '../state/rule-engine.js';
import type { ServiceStatus } from '../status/status-store.js';

/** A service while the daemon runs: its model plus everything remembered between cycles. */
export interface ServiceRuntime {
  readonly model: ServiceModel;
  readonly status: ServiceStatus;
  /** What the service type's `init` returned. */
  readonly typeState: unknown;
  /** One per rule, same order as `model.rules`. */
  readonly ruleStates: RuleState[];
  /** `ctx.state` scratch per rule. */
  readonly scratch: Record<string, unknown>[];
  /** Per rule: its `Data access error` side state (see `evaluateDataAccess`). */
  readonly dataStates: RuleState[];
  /** Per rule: `ctx.persist` values, saved in the state file and restored at start. */
  readonly persisted: Record<string, unknown>[];
  /** Per rule: the `ctx.persist` store over `persisted`. */
  readonly persist: PersistStore[];
  /** Cycle numbers at which a rule restarted or started this service (restart limits). */
  readonly restarts: number[];
  /** Cycles in which this service was considered while monitored, for `every N cycles`. */
  cyclesSeen: number;
  /** What the service type's `observe` returned last (environment, pid watching). */
  lastTarget?: unknown;
}

/**
 * Build the runtime of one service: fresh (start-up and reload reset every counter, like
 * Monit), except that an unchanged service whose type can `adopt` keeps the state it held.
 */
export function createRuntime(model: ServiceModel, previous?: ServiceRuntime): ServiceRuntime {
  const definition = model.definition;
  // A reload keeps what an unchanged service holds (a supervised job keeps running).
  const adopt = previous !== undefined && definition.adopt !== undefined && previous.model.typeName === model.typeName && isDeepStrictEqual(previous.model.target, model.target);
  const persisted: Record<string, unknown>[] = model.rules.map(() => ({}));
  return {
    model,
    status: {
      name: model.name,
      type: model.monitType,
      monitor: 'initializing',
      mode: model.mode,
      onreboot: model.onreboot,
      status: 'OK',
      statusBits: 0,
      failingEvents: [],
      rules: model.rules.map((r) => ({ describe: r.describe, state: 'init', message: '', durationMs: 0 })),
      observations: {},
      groups: model.groups,
    },
    typeState: adopt ? definition.adopt!(previous.typeState, model.target) : definition.init ? definition.init(model.target) : undefined,
    ruleStates: model.rules.map(() => initialRuleState()),
    scratch: model.rules.map(() => ({})),
    dataStates: model.rules.map(() => initialRuleState()),
    persisted,
    persist: persisted.map((values) => ({ get: (key) => values[key], set: (key, value) => void (values[key] = value) })),
    restarts: [],
    cyclesSeen: 0,
  };
}
