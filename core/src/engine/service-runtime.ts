import { isDeepStrictEqual } from 'node:util';
import type { Logger, MetricsSink, Observation, PersistStore } from '@warden/sdk';
import type { RuleModel, ServiceModel } from '../config/model.js';
import { initialRuleState, type RuleState } from '../state/rule-engine.js';
import type { ServiceStatus } from '../status/status-store.js';
import { DEFAULT_PROBE_TIMEOUT_MS } from './types.js';

/** What every check of a service hands its probes, built on its first check and kept. */
export interface ProbeBase {
  readonly log: Logger;
  readonly service: { readonly name: string; readonly type: string };
  readonly metrics: MetricsSink;
}

/** A service while the daemon runs: its model plus everything remembered between cycles. */
export interface ServiceRuntime {
  readonly model: ServiceModel;
  readonly status: ServiceStatus;
  /** What the service type's `init` returned. */
  readonly typeState: unknown;
  /** One per rule, same order as `model.rules`. */
  readonly ruleStates: RuleState[];
  /** Per rule: its deadline, its own `with timeout N seconds` or the default. */
  readonly timeoutsMs: readonly number[];
  /** Set by the first check: thousands of services checked every cycle allocate it once. */
  probeBase?: ProbeBase;
  /** `ctx.state` scratch per rule. */
  readonly scratch: Record<string, unknown>[];
  /** Per rule: its `Data access error` side state (see `evaluateDataAccess`). */
  readonly dataStates: RuleState[];
  /** Per rule: its `ctx.persist` store, whose values the state file saves and restores. */
  readonly persist: RulePersist[];
  /** Cycle numbers at which a rule restarted or started this service (restart limits). */
  readonly restarts: number[];
  /** Cycles in which this service was considered while monitored, for `every N cycles`. */
  cyclesSeen: number;
  /**
   * The scheduler's (one per engine, as this record): the service's slot among the paths it
   * stats in batches, or -1 (none). Set once, when the scheduler is built; a field, not a map,
   * because it is read twice in every check of thousands.
   */
  pathSlot: number;
  /** The scheduler's: the pid it last had the pid watch watch for this service (undefined: none). */
  watchedPid: number | undefined;
  /**
   * Bumped whenever something the state file keeps changes (a `changed` rule's reference value,
   * a `ctx.persist` value): the daemon rewrites the file only then, or when a monitoring state moved.
   */
  stateVersion: number;
  /** What the service type's `observe` returned last (environment, pid watching). */
  lastTarget?: unknown;
  /**
   * True when the service type can tell targets apart (`sameTarget`) and every rule's test is
   * `steady` for its options: once every rule rests (see {@link ruleRest}), a check of the
   * service skips what follows observing. Fixed when built.
   */
  readonly steady: boolean;
  /**
   * Per rule: the service type can tell targets apart and the rule's test is `steady`, so the
   * rule may rest on its own while another rule of the service cannot (see {@link ruleRest}).
   */
  readonly steadyRules: readonly boolean[];
  /** True when any rule is steady: checks then keep the target their probes ran on. */
  readonly restable: boolean;
  /** The target the probes last ran on (a restable service's), to tell whether it moved since. */
  probedTarget?: unknown;
  /**
   * True when the last check's observation was the target its probes had run on before (or the
   * check did not observe, its path unmoved): from then on, while the type's `statPath` (and
   * kept file) does not move, observing would hand that target back, resting or not.
   */
  targetKept: boolean;
  /**
   * Per rule: the state a check left when the rule, steady and probed on the same target as
   * the check before, came to rest (`atRest`). While that state is still the rule's (anything
   * that replaces it, a reset, ends the rest) and the target does not move, a check neither
   * probes nor judges the rule: it would judge the same. It logs the state's message again, and
   * the observations of the result judged stay the rule's piece of {@link ObservedParts}.
   * Undefined: the rule is probed.
   */
  readonly ruleRest: (RuleState | undefined)[];
  /** What the status's `observations` are made of (see {@link ObservedParts}). */
  readonly observed: ObservedParts;
}

/**
 * The pieces a service's `observations` are made of: the service type's, read from the last
 * target observed, then each rule's last reported ones in rule order (a later piece wins a
 * key). A check only swaps pieces; the status's `observations` merges them when it is read
 * and keeps the result until a piece changes. So a check copies no observation, and what a
 * probe did not report again is gone with its piece.
 */
export interface ObservedParts {
  /** Read when merging: a type's `observations` function may be replaced (tests do). */
  readonly model: ServiceModel;
  /** The last target observed; `observed` false until there is one. */
  target: unknown;
  observed: boolean;
  /** Per rule: the observations of its last judged result (undefined: none, or a timeout). */
  readonly rules: (Readonly<Record<string, Observation>> | undefined)[];
  /** The merged view handed out, until a piece changes. */
  merged: Record<string, Observation> | undefined;
}

const PARTS = Symbol('observed parts');

/** `status.observations`: one getter shared by every service's status, merging its pieces on demand. */
const OBSERVATIONS: PropertyDescriptor = {
  enumerable: true,
  get(this: { [PARTS]: ObservedParts }): Record<string, Observation> {
    const parts = this[PARTS];
    if (parts.merged === undefined) {
      const merged: Record<string, Observation> = {};
      const of = parts.model.definition.observations;
      if (parts.observed && of !== undefined) Object.assign(merged, of(parts.target));
      for (const piece of parts.rules) if (piece !== undefined) Object.assign(merged, piece);
      parts.merged = merged;
    }
    return parts.merged;
  },
};

/** Give `status` its merged `observations` over `parts`. */
function withObservations(status: Omit<ServiceStatus, 'observations'>, parts: ObservedParts): ServiceStatus {
  Object.defineProperty(status, PARTS, { value: parts });
  Object.defineProperty(status, 'observations', OBSERVATIONS);
  return status as ServiceStatus;
}

/**
 * Build the runtime of one service: fresh (start-up and reload reset every counter, like
 * Monit), except that an unchanged service whose type can `adopt` keeps the state it held.
 */
export function createRuntime(model: ServiceModel, previous?: ServiceRuntime): ServiceRuntime {
  const definition = model.definition;
  // A reload keeps what an unchanged service holds (a supervised job keeps running).
  const adopt = previous !== undefined && definition.adopt !== undefined && previous.model.typeName === model.typeName && isDeepStrictEqual(previous.model.target, model.target);
  const steadyRules = model.rules.map((r) => definition.sameTarget !== undefined && r.test.steady?.(r.options) === true);
  const observed: ObservedParts = { model, target: undefined, observed: false, rules: model.rules.map(() => undefined), merged: undefined };
  const rt: ServiceRuntime = {
    model,
    status: withObservations({
      name: model.name,
      type: model.monitType,
      monitor: 'initializing',
      mode: model.mode,
      onreboot: model.onreboot,
      status: 'OK',
      statusBits: 0,
      failingEvents: [],
      rules: model.rules.map((r) => ({ describe: r.describe, state: 'init', message: '', durationMs: 0 })),
      groups: model.groups,
    }, observed),
    typeState: adopt ? definition.adopt!(previous.typeState, model.target) : definition.init ? definition.init(model.target) : undefined,
    ruleStates: model.rules.map(() => initialRuleState()),
    timeoutsMs: model.rules.map(timeoutOf),
    scratch: model.rules.map(() => ({})),
    dataStates: model.rules.map(() => initialRuleState()),
    persist: [],
    restarts: [],
    cyclesSeen: 0,
    pathSlot: -1,
    watchedPid: undefined,
    stateVersion: 0,
    steady: definition.sameTarget !== undefined && model.rules.every((r) => r.test.steady?.(r.options) === true),
    steadyRules,
    restable: steadyRules.includes(true),
    targetKept: false,
    ruleRest: model.rules.map(() => undefined),
    observed,
  };
  for (let i = 0; i < model.rules.length; i++) rt.persist.push(new RulePersist(rt));
  return rt;
}

/**
 * A rule's `ctx.persist` store. One small object per rule (thousands of services): its values
 * are made at the first `set`, and its methods are shared.
 */
export class RulePersist implements PersistStore {
  /** The values set so far (the state file saves them); undefined until the first. */
  values: Record<string, unknown> | undefined = undefined;

  constructor(private readonly rt: { stateVersion: number }) {}

  get(key: string): unknown {
    return this.values?.[key];
  }

  set(key: string, value: unknown): void {
    const values = (this.values ??= {});
    if (values[key] !== value) this.rt.stateVersion++;
    values[key] = value;
  }
}

/** The deadline of a rule: its own `timeoutMs` option (`with timeout N seconds`) or the default. */
function timeoutOf(rule: RuleModel): number {
  const t = (rule.options as { timeoutMs?: unknown } | null)?.timeoutMs;
  return typeof t === 'number' && t > 0 ? t : DEFAULT_PROBE_TIMEOUT_MS;
}
