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
  /** Cycle numbers at which a rule restarted or started this service (restart limits). */
  readonly restarts: number[];
  /** Cycles this service was due, for `every N cycles`. */
  dueCount: number;
}

/** Build the runtime of one service, fresh (start-up and reload reset every counter, like Monit). */
export function createRuntime(model: ServiceModel): ServiceRuntime {
  const definition = model.definition;
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
      rules: model.rules.map((r) => ({ describe: r.describe, state: 'init', message: '', durationMs: 0 })),
      observations: {},
      groups: model.groups,
    },
    typeState: definition.init ? definition.init(model.target) : undefined,
    ruleStates: model.rules.map(() => initialRuleState()),
    scratch: model.rules.map(() => ({})),
    restarts: [],
    dueCount: 0,
  };
}
