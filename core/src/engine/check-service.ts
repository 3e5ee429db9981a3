import { setMaxListeners } from 'node:events';
import type { CycleContext, Logger, ProbeResult } from '@warden/sdk';
import type { RuleModel } from '../config/model.js';
import { atRest, evaluateRule, withMessage, type Evaluation, type Outcome, type RuleEvent } from '../state/rule-engine.js';
import { serviceStatusBits, serviceStatusText, type FailingRule } from '../state/service-status.js';
import type { RuleStatus } from '../status/status-store.js';
import { evaluateDataAccess } from '../state/data-access.js';
import { mapBounded } from './bounded.js';
import type { Deadlines } from './deadlines.js';
import { isThenable, runTimedNow, type Timed } from './runner.js';
import type { ProbeBase, ServiceRuntime } from './service-runtime.js';
import { DEFAULT_PROBE_TIMEOUT_MS, type EngineDeps } from './types.js';

/** An event of one rule, ready for dispatch. */
export interface PendingEvent {
  readonly rule: RuleModel;
  readonly event: RuleEvent;
}

/** What one check of one service produced. */
export interface CheckReport {
  readonly events: readonly PendingEvent[];
  /** Rules failing with no new event (an ongoing failure), for actions Monit repeats. */
  readonly ongoing: readonly RuleModel[];
}

/** How many probes of one service run at once. */
export const RULE_CONCURRENCY = 16;

/** `warden_checks_total{result}` labels, one object per result rather than one per check. */
const RESULT_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  ['ok', 'failed', 'error', 'timeout', 'skipped'].map((result) => [result, Object.freeze({ result })]),
);
const OK_LABELS = RESULT_LABELS.ok!;

/**
 * Check one service once: observe its object, run every rule's probe under a deadline,
 * judge each outcome with the pure rule engine, log like Monit, and update the status.
 * Returns the events for the dispatcher; runs no action itself. `deadlines` (the scheduler's)
 * lets many probes share one deadline timer. A service whose observation and probes all
 * answer synchronously (a stat, a /proc read) is checked synchronously: no promise at all.
 * `pathUnmoved`: the stat of the type's `statPath` did not move since the last check (the
 * scheduler's batched stats); a resting service then rests without observing.
 */
export function checkService(rt: ServiceRuntime, deps: EngineDeps, cycle: CycleContext, signal: AbortSignal, deadlines?: Deadlines, pathUnmoved = false): CheckReport | Promise<CheckReport> {
  const { model } = rt;
  const base = (rt.probeBase ??= {
    log: deps.log.child(model.name),
    service: { name: model.name, type: model.typeName },
    metrics: deps.metricsFor(model.name, model.monitType),
  });
  const check: Check = { rt, deps, cycle, signal, deadlines, base, started: deps.clock.monotonic(), events: undefined, ongoing: undefined, failing: undefined };
  // The type's path (and kept file) did not move since the last check, whose target the probes
  // ran on: observing would hand that target back, and a service whose rules all rest (a rule
  // rests once probed on the same target twice running) would rest again. One that does not
  // rest (a rule that reads more than the target, a failing one) is probed on that target
  // without observing, once an observation has handed it back (`targetKept`: a type with a
  // kept file may move its target once more after its input stopped; see `statFd`). The
  // scheduler batches only services for which that holds (see its `watchedPaths`).
  if (pathUnmoved && rt.lastTarget !== undefined && rt.lastTarget === rt.probedTarget) {
    if (resting(rt)) {
      observedFrom(rt, rt.lastTarget);
      return restCheck(check);
    }
    if (rt.targetKept) {
      observedFrom(rt, rt.lastTarget);
      return probeAll(check, rt.lastTarget, true);
    }
  }
  const observe = model.definition.observe;
  if (!observe) return probeAll(check, undefined);
  const { service, log } = base;
  // Started when the check did, and untimed: no one reads how long observing took.
  const observed = runTimedNow(
    (sig, deadline) => observe({ options: model.target, service, signal: sig, deadline, clock: deps.clock, log, spawn: deps.spawner, stat: deps.stat, state: rt.typeState, cycle, settings: deps.settings }),
    DEFAULT_PROBE_TIMEOUT_MS,
    deps.clock,
    signal,
    undefined,
    deadlines,
    check.started,
    false,
  );
  return isThenable(observed) ? observed.then((o) => afterObserve(check, o)) : afterObserve(check, observed);
}

/** One check under way. */
interface Check {
  readonly rt: ServiceRuntime;
  readonly deps: EngineDeps;
  readonly cycle: CycleContext;
  readonly signal: AbortSignal;
  readonly deadlines: Deadlines | undefined;
  readonly base: ProbeBase;
  readonly started: number;
  /** What judging collects, made at its first entry: most checks collect nothing. */
  events?: PendingEvent[];
  ongoing?: RuleModel[];
  failing?: FailingRule[];
}

function afterObserve(check: Check, observed: Timed<unknown>): CheckReport | Promise<CheckReport> {
  const { rt } = check;
  // Stopping: what an aborted probe returned says nothing about the service.
  if (check.signal.aborted) return QUIET;
  if (observed.kind !== 'value') {
    rt.targetKept = false;
    const why = observed.kind === 'timeout' ? `timed out after ${DEFAULT_PROBE_TIMEOUT_MS / 1000} s` : observed.error.message;
    check.base.log.error(`monitoring failed -- ${why}`);
    rt.status.status = 'Data access error';
    rt.ruleRest.fill(undefined);
    return QUIET;
  }
  const observedTarget = observed.value;
  const probed = rt.probedTarget;
  // A target that did not move since the probes last ran: a steady test would return what it
  // returned then.
  const same = rt.restable && probed !== undefined && rt.model.definition.sameTarget!(probed, observedTarget);
  // The same target again: keep the object already kept, so that this cycle's dies young
  // (one kept per service and cycle would all be promoted, and old-space collections cost).
  const target = same ? probed : observedTarget;
  rt.lastTarget = target;
  rt.targetKept = same;
  observedFrom(rt, target);
  if (same && resting(rt)) return restCheck(check);
  return probeAll(check, target, same);
}

/**
 * The type's observations now come from `target`, read when the status is: a new target makes
 * the merged view stale, and so does every check of a type whose observations move in place
 * (a process's uptime), resting or not.
 */
function observedFrom(rt: ServiceRuntime, target: unknown): void {
  const parts = rt.observed;
  if (parts.observed && parts.target === target && rt.model.definition.observationsMove !== true) return;
  parts.target = target;
  parts.observed = true;
  parts.merged = undefined;
}

/**
 * True when rule `i` still rests as its last judging left it (see `ruleRest`): anything that
 * replaced its state since (a reset, a restored value) ends the rest.
 */
function ruleRests(rt: ServiceRuntime, i: number): boolean {
  const rest = rt.ruleRest[i];
  return rest !== undefined && rest === rt.ruleStates[i];
}

/** True when the service is steady and monitored and every one of its rules rests. */
function resting(rt: ServiceRuntime): boolean {
  if (!rt.steady || rt.status.monitor !== 'monitored') return false;
  for (let i = 0; i < rt.ruleRest.length; i++) if (!ruleRests(rt, i)) return false;
  return true;
}

/**
 * A check of a resting service: the same results as last time, judged the same way, so only
 * what a full check does every cycle happens (its debug lines, the counts, the time).
 */
function restCheck(check: Check): CheckReport {
  const { log, metrics } = check.base;
  const rests = check.rt.ruleRest;
  // Each rule's debug line is its last message, as a full check would log it again.
  for (let i = 0; i < rests.length; i++) log.debug(rests[i]!.message ?? '');
  if (rests.length > 0) metrics.inc('warden_checks_total', rests.length, OK_LABELS);
  finish(check);
  // Nothing for the dispatcher: one shared empty report, not one per check.
  return QUIET;
}

/** The place of a resting rule among a check's results: never judged (see `ruleRest`). */
const RESTED: Timed<ProbeResult> = Object.freeze({ kind: 'value', value: Object.freeze({ status: 'ok', message: '' }), durationMs: 0 });

/** The report of a check with no event and no ongoing failure; frozen, shared. */
const QUIET: CheckReport = Object.freeze({ events: Object.freeze([]), ongoing: Object.freeze([]) });

/** The end of every check: when it ran and how long it took. */
function finish(check: Check): void {
  const { status } = check.rt;
  status.lastCheck = check.deps.clock.now();
  status.lastDurationMs = check.deps.clock.monotonic() - check.started;
  check.base.metrics.set('warden_check_duration_seconds', status.lastDurationMs / 1000);
  if (status.monitor === 'initializing') status.monitor = 'monitored';
}

/**
 * Run every rule's probe. Probes run concurrently (100 ports on a slow peer cost one latency,
 * not 100); judging, logs, events and status follow in rule order once every probe has settled.
 * The probes listen on a signal of their own (or the shared deadlines'): one listener on
 * `signal`, not one per probe.
 */
function probeAll(check: Check, target: unknown, same = false): CheckReport | Promise<CheckReport> {
  const { rt, deps, cycle, signal, deadlines } = check;
  const { log, service, metrics } = check.base;
  const rules = rt.model.rules;
  const resting = same ? restingRules(rt) : undefined;
  const local = rules.length > 1 && deadlines === undefined ? new AbortController() : undefined;
  const onAbort = () => local?.abort(signal.reason);
  if (local) {
    setMaxListeners(RULE_CONCURRENCY + 1, local.signal);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  const rulesSignal = local?.signal ?? signal;
  const probe = (rule: RuleModel): Timed<ProbeResult> | Promise<Timed<ProbeResult>> =>
    rests(resting, rule.id) ? RESTED : runTimedNow<ProbeResult>(
      (sig, deadline) =>
        rule.test.run({
          options: rule.options, target, service, signal: sig, deadline, clock: deps.clock, log,
          metrics, spawn: deps.spawner, stat: deps.stat, digestSmallFile: deps.digestSmallFile, state: rt.scratch[rule.id]!, persist: rt.persist[rule.id]!, cycle, settings: deps.settings,
        }),
      rt.timeoutsMs[rule.id]!,
      deps.clock,
      rulesSignal,
      undefined,
      deadlines,
    );
  const settled = (results: readonly Timed<ProbeResult>[]): CheckReport => {
    if (local) signal.removeEventListener('abort', onAbort);
    return judgeAll(check, results, target, same, resting);
  };
  // Up to the bound, every probe starts at once: no worker machinery for a handful of rules.
  if (rules.length > RULE_CONCURRENCY) return mapBounded(rules, RULE_CONCURRENCY, (rule) => Promise.resolve(probe(rule))).then(settled);
  const results = rules.map(probe);
  return results.some(isThenable) ? Promise.all(results).then(settled) : settled(results as Timed<ProbeResult>[]);
}

/**
 * The rules of one check that rest: a bit per rule (rule `i` is bit `i`) for up to
 * {@link MASK_RULES} rules, so that a check allocates nothing for them; a flag per rule beyond.
 */
type RestingRules = number | readonly boolean[];

/** The most rules whose resting a bit mask holds. */
const MASK_RULES = 31;

/**
 * Which rules rest now: steady, at rest since their last judging (the state they left is
 * still theirs) on a target that has not moved since (the caller saw `same`), and the service
 * monitored as it was then. Undefined when none does.
 */
function restingRules(rt: ServiceRuntime): RestingRules | undefined {
  if (rt.status.monitor !== 'monitored') return undefined;
  const n = rt.ruleRest.length;
  if (n <= MASK_RULES) {
    let bits = 0;
    for (let i = 0; i < n; i++) if (ruleRests(rt, i)) bits |= 1 << i;
    return bits === 0 ? undefined : bits;
  }
  let resting: boolean[] | undefined;
  for (let i = 0; i < n; i++) if (ruleRests(rt, i)) (resting ??= new Array<boolean>(n).fill(false))[i] = true;
  return resting;
}

/** Whether rule `id` is among the `resting` ones. */
function rests(resting: RestingRules | undefined, id: number): boolean {
  return typeof resting === 'number' ? (resting & (1 << id)) !== 0 : resting?.[id] === true;
}

/**
 * Judge every rule in order and update the service's status. `same`: the probes ran on the
 * target their previous run saw, so a steady rule at rest now may rest (and a service whose
 * rules all rest may rest whole). `resting`: the rules not probed this time (their results
 * are placeholders); they are not judged again (they would judge the same).
 */
function judgeAll(check: Check, results: readonly Timed<ProbeResult>[], target: unknown, same: boolean, resting?: RestingRules): CheckReport {
  const { rt } = check;
  const { log, metrics } = check.base;
  if (check.signal.aborted) {
    rt.probedTarget = undefined;
    rt.ruleRest.fill(undefined);
    return QUIET;
  }
  const mayRest = same && rt.status.monitor !== 'not monitored';
  for (const rule of rt.model.rules) {
    const timed = results[rule.id]!;
    if (rests(resting, rule.id)) {
      // As a full check of a resting service: its debug line again, counted as passing.
      log.debug(rt.ruleRest[rule.id]!.message ?? '');
      metrics.inc('warden_checks_total', 1, OK_LABELS);
      // Its observations are its piece of the last judging still (see ObservedParts).
      continue;
    }
    const timeoutMs = rt.timeoutsMs[rule.id]!;
    const outcome: Outcome =
      timed.kind === 'value' ? timed.value
        : timed.kind === 'timeout' ? { status: 'timeout', message: `${rule.describe} check timed out after ${timeoutMs / 1000} s` }
          : { status: 'error', message: `${rule.describe} check could not run -- ${timed.error.message}` };
    const steady = mayRest && rt.steadyRules[rule.id] === true;
    const verdict = judgeRule(check, rule, outcome, timed.durationMs, steady);
    rt.ruleRest[rule.id] = verdict === RESTS ? rt.ruleStates[rule.id] : undefined;
    const result = verdict === RESTS ? 'ok' : verdict;
    metrics.inc('warden_checks_total', 1, RESULT_LABELS[result] ?? { result });
    // This judging's observations replace the rule's piece: a key it did not report again is
    // gone. The same object again (a shared result) leaves the merged view as it is.
    const piece = outcome.status !== 'timeout' ? outcome.observations : undefined;
    if (rt.observed.rules[rule.id] !== piece) {
      rt.observed.rules[rule.id] = piece;
      rt.observed.merged = undefined;
    }
  }
  const failing = check.failing;
  // Nothing failing, as last time (the usual cycle): the empty list kept stays.
  if (failing !== undefined) rt.status.failingEvents = [...new Set(failing.map((f) => f.event))];
  else if (rt.status.failingEvents.length > 0) rt.status.failingEvents = [];
  rt.status.status = failing === undefined ? 'OK' : serviceStatusText(failing);
  rt.status.statusBits = failing === undefined ? 0 : serviceStatusBits(failing);
  finish(check);
  if (rt.restable) rt.probedTarget = target;
  const { events, ongoing } = check;
  return events === undefined && ongoing === undefined ? QUIET : { events: events ?? [], ongoing: ongoing ?? [] };
}

/** What {@link judgeRule} returns for a rule that passed and rests (`atRest`): counted as `ok`. */
const RESTS = 'rests';

/**
 * Judge one rule's outcome, log it, record its status, and collect its event; returns the
 * `warden_checks_total` result label, or (asked with `mayRest`) {@link RESTS} for a passing
 * rule at rest. An outcome that carries its own event class (`data`) leaves the rule unjudged
 * and drives the rule's side state instead.
 */
function judgeRule(check: Check, rule: RuleModel, outcome: Outcome, durationMs: number, mayRest: boolean): string {
  const { rt } = check;
  const { log } = check.base;
  const data = evaluateDataAccess(rule.pos, rt.dataStates[rule.id]!, outcome);
  if (data) {
    rt.dataStates[rule.id] = data.state;
    if (data.event) (check.events ??= []).push({ rule, event: data.event });
  }
  if (rt.dataStates[rule.id]!.status === 'failed') (check.failing ??= []).push({ event: 'data', state: 'failed' });
  if (outcome.status !== 'timeout' && outcome.event !== undefined) {
    if (data?.event) log.error(outcome.message);
    else log.debug(outcome.message);
    const prev = rt.ruleStates[rule.id]!;
    rt.ruleStates[rule.id] = withMessage(prev, outcome.message);
    // A rule that was failing before its data went away still counts until it is judged again.
    if (prev.status === 'failed') (check.failing ??= []).push({ event: rule.event, state: rule.condition.kind === 'changed' ? 'changed' : 'failed' });
    rt.status.rules[rule.id] = { describe: rule.describe, state: 'error', message: outcome.message, durationMs };
    return 'error';
  }
  if (data?.event) log.info(`${rule.describe}: data access succeeded`);
  const before = rt.ruleStates[rule.id]!;
  const evaluation = evaluateRule(rule, before, outcome);
  rt.ruleStates[rule.id] = evaluation.state;
  if (evaluation.state.lastValue !== before.lastValue) rt.stateVersion++;
  logOutcome(log, outcome, evaluation);
  const status = ruleStatus(rule, outcome, evaluation, durationMs, rt.status.rules[rule.id]);
  rt.status.rules[rule.id] = status;
  if (evaluation.failing) (check.failing ??= []).push({ event: rule.event, state: rule.condition.kind === 'changed' ? 'changed' : 'failed' });
  if (evaluation.event) (check.events ??= []).push({ rule, event: evaluation.event });
  else if (evaluation.failing && evaluation.state.status === 'failed' && !evaluation.noData) (check.ongoing ??= []).push(rule);
  if (mayRest && data === undefined && outcome.status !== 'timeout' && outcome.event === undefined && atRest(rule, evaluation, outcome)) return RESTS;
  return status.state === 'pending' ? 'failed' : status.state;
}

/** Monit's log levels for a check: errors for failures, warnings while a rate fills, debug when fine. */
function logOutcome(log: Logger, outcome: Outcome, ev: Evaluation): void {
  if (outcome.status === 'error' || outcome.status === 'timeout') {
    log.error(outcome.message);
  } else if (ev.event?.state === 'failed' || ev.event?.state === 'changed') {
    log.error(outcome.message);
  } else if (ev.pending) {
    log.warning(`${outcome.message} [${ev.pending.failures} of ${ev.pending.needed}]`);
  } else if (ev.event?.state === 'succeeded') {
    log.info(outcome.message);
  } else {
    log.debug(outcome.message);
  }
}

function ruleStatus(rule: RuleModel, outcome: Outcome, ev: Evaluation, durationMs: number, prev: RuleStatus | undefined): RuleStatus {
  const state: RuleStatus['state'] =
    outcome.status === 'timeout' ? 'timeout'
      : outcome.status === 'error' ? 'error'
        : outcome.status === 'skipped' ? 'skipped'
          : ev.pending ? 'pending'
            : ev.failing ? 'failed'
              : 'ok';
  const value = outcome.status !== 'timeout' ? outcome.value : undefined;
  // The status of the last check again (the usual cycle): only its duration moves, in place, so
  // the object kept in the status store is not replaced by one more every cycle.
  if (prev !== undefined && prev.state === state && prev.message === outcome.message && prev.value === value && prev.describe === rule.describe) {
    (prev as { durationMs: number }).durationMs = durationMs;
    return prev;
  }
  return value !== undefined ? { describe: rule.describe, state, message: outcome.message, durationMs, value } : { describe: rule.describe, state, message: outcome.message, durationMs };
}
