import { setMaxListeners } from 'node:events';
import type { CycleContext, Logger, ProbeResult } from '@warden/sdk';
import type { RuleModel } from '../config/model.js';
import { evaluateRule, type Evaluation, type Outcome, type RuleEvent } from '../state/rule-engine.js';
import { serviceStatusBits, serviceStatusText, type FailingRule } from '../state/service-status.js';
import type { RuleStatus } from '../status/status-store.js';
import { evaluateDataAccess } from '../state/data-access.js';
import { mapBounded } from './bounded.js';
import type { Deadlines } from './deadlines.js';
import { runTimed, type Timed } from './runner.js';
import type { ServiceRuntime } from './service-runtime.js';
import { DEFAULT_PROBE_TIMEOUT_MS, type EngineDeps } from './types.js';

/** An event of one rule, ready for dispatch. */
export interface PendingEvent {
  readonly rule: RuleModel;
  readonly event: RuleEvent;
}

/** What one check of one service produced. */
export interface CheckReport {
  readonly events: PendingEvent[];
  /** Rules failing with no new event (an ongoing failure), for actions Monit repeats. */
  readonly ongoing: RuleModel[];
}

/** How many probes of one service run at once. */
export const RULE_CONCURRENCY = 16;

/**
 * Check one service once: observe its object, run every rule's probe under a deadline,
 * judge each outcome with the pure rule engine, log like Monit, and update the status.
 * Returns the events for the dispatcher; runs no action itself. `deadlines` (the scheduler's)
 * lets many probes share one deadline timer.
 */
export async function checkService(rt: ServiceRuntime, deps: EngineDeps, cycle: CycleContext, signal: AbortSignal, deadlines?: Deadlines): Promise<CheckReport> {
  const { model } = rt;
  const { log, service, metrics } = (rt.probeBase ??= {
    log: deps.log.child(model.name),
    service: { name: model.name, type: model.typeName },
    metrics: deps.metricsFor(model.name, model.monitType),
  });
  const report: CheckReport = { events: [], ongoing: [] };
  const started = deps.clock.monotonic();

  let target: unknown;
  const observe = model.definition.observe;
  if (observe) {
    const observed = await runTimed(
      (sig, deadline) => observe({ options: model.target, service, signal: sig, deadline, clock: deps.clock, log, spawn: deps.spawner, state: rt.typeState, cycle, settings: deps.settings }),
      DEFAULT_PROBE_TIMEOUT_MS,
      deps.clock,
      signal,
      undefined,
      deadlines,
    );
    // Stopping: what an aborted probe returned says nothing about the service.
    if (signal.aborted) return report;
    if (observed.kind !== 'value') {
      const why = observed.kind === 'timeout' ? `timed out after ${DEFAULT_PROBE_TIMEOUT_MS / 1000} s` : observed.error.message;
      log.error(`monitoring failed -- ${why}`);
      rt.status.status = 'Data access error';
      return report;
    }
    target = observed.value;
    const seen = model.definition.observations?.(target);
    if (seen) rt.status.observations = { ...seen };
  }

  const probe = (rule: RuleModel): Promise<Timed<ProbeResult>> =>
    runTimed<ProbeResult>(
      (sig, deadline) =>
        rule.test.run({
          options: rule.options, target, service, signal: sig, deadline, clock: deps.clock, log,
          metrics, spawn: deps.spawner, state: rt.scratch[rule.id]!, persist: rt.persist[rule.id]!, cycle, settings: deps.settings,
        }),
      rt.timeoutsMs[rule.id]!,
      deps.clock,
      rulesSignal,
      undefined,
      deadlines,
    );
  // Probes run concurrently (100 ports on a slow peer cost one latency, not 100); judging,
  // logs, events and status follow in rule order once every probe has settled. The probes
  // listen on a signal of their own (or the shared deadlines'): one listener on `signal`, not one per probe.
  const local = model.rules.length > 1 && deadlines === undefined ? new AbortController() : undefined;
  const onAbort = () => local?.abort(signal.reason);
  if (local) {
    setMaxListeners(RULE_CONCURRENCY + 1, local.signal);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  const rulesSignal = local?.signal ?? signal;
  let results: Timed<ProbeResult>[];
  try {
    // Up to the bound, every probe starts at once: no worker machinery for a handful of rules.
    results = model.rules.length <= RULE_CONCURRENCY ? await Promise.all(model.rules.map(probe)) : await mapBounded(model.rules, RULE_CONCURRENCY, probe);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) return report;

  const failing: FailingRule[] = [];
  for (const rule of model.rules) {
    const timed = results[rule.id]!;
    const timeoutMs = rt.timeoutsMs[rule.id]!;
    const outcome: Outcome =
      timed.kind === 'value' ? timed.value
        : timed.kind === 'timeout' ? { status: 'timeout', message: `${rule.describe} check timed out after ${timeoutMs / 1000} s` }
          : { status: 'error', message: `${rule.describe} check could not run -- ${timed.error.message}` };
    metrics.inc('warden_checks_total', 1, { result: judgeRule(rt, rule, outcome, timed.durationMs, log, report, failing) });
    if (outcome.status !== 'timeout' && outcome.observations) Object.assign(rt.status.observations, outcome.observations);
  }
  rt.status.failingEvents = failing.length === 0 ? [] : [...new Set(failing.map((f) => f.event))];
  rt.status.status = serviceStatusText(failing);
  rt.status.statusBits = serviceStatusBits(failing);
  rt.status.lastCheck = deps.clock.now();
  rt.status.lastDurationMs = deps.clock.monotonic() - started;
  metrics.set('warden_check_duration_seconds', rt.status.lastDurationMs / 1000);
  if (rt.status.monitor === 'initializing') rt.status.monitor = 'monitored';
  return report;
}

/**
 * Judge one rule's outcome, log it, record its status, and collect its event; returns the
 * `warden_checks_total` result label. An outcome that carries its own event class (`data`)
 * leaves the rule unjudged and drives the rule's side state instead.
 */
function judgeRule(rt: ServiceRuntime, rule: RuleModel, outcome: Outcome, durationMs: number, log: Logger, report: CheckReport, failing: FailingRule[]): string {
  const data = evaluateDataAccess(rule.pos, rt.dataStates[rule.id]!, outcome);
  if (data) {
    rt.dataStates[rule.id] = data.state;
    if (data.event) report.events.push({ rule, event: data.event });
  }
  if (rt.dataStates[rule.id]!.status === 'failed') failing.push({ event: 'data', state: 'failed' });
  if (outcome.status !== 'timeout' && outcome.event !== undefined) {
    if (data?.event) log.error(outcome.message);
    else log.debug(outcome.message);
    const prev = rt.ruleStates[rule.id]!;
    rt.ruleStates[rule.id] = { ...prev, message: outcome.message };
    // A rule that was failing before its data went away still counts until it is judged again.
    if (prev.status === 'failed') failing.push({ event: rule.event, state: rule.condition.kind === 'changed' ? 'changed' : 'failed' });
    rt.status.rules[rule.id] = { describe: rule.describe, state: 'error', message: outcome.message, durationMs };
    return 'error';
  }
  if (data?.event) log.info(`${rule.describe}: data access succeeded`);
  const before = rt.ruleStates[rule.id]!;
  const evaluation = evaluateRule(rule, before, outcome);
  rt.ruleStates[rule.id] = evaluation.state;
  if (evaluation.state.lastValue !== before.lastValue) rt.stateVersion++;
  logOutcome(log, outcome, evaluation);
  const status = ruleStatus(rule, outcome, evaluation, durationMs);
  rt.status.rules[rule.id] = status;
  if (evaluation.failing) failing.push({ event: rule.event, state: rule.condition.kind === 'changed' ? 'changed' : 'failed' });
  if (evaluation.event) report.events.push({ rule, event: evaluation.event });
  else if (evaluation.failing && evaluation.state.status === 'failed' && !evaluation.noData) report.ongoing.push(rule);
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

function ruleStatus(rule: RuleModel, outcome: Outcome, ev: Evaluation, durationMs: number): RuleStatus {
  const state: RuleStatus['state'] =
    outcome.status === 'timeout' ? 'timeout'
      : outcome.status === 'error' ? 'error'
        : outcome.status === 'skipped' ? 'skipped'
          : ev.pending ? 'pending'
            : ev.failing ? 'failed'
              : 'ok';
  const value = outcome.status !== 'timeout' ? outcome.value : undefined;
  return { describe: rule.describe, state, message: outcome.message, durationMs, ...(value !== undefined ? { value } : {}) };
}
