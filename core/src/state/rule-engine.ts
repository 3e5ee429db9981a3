import { compare } from '@warden/sdk';
import type { Condition, EventClass, ProbeResult } from '@warden/sdk';
import type { ActionSpec, Rate } from '../config/model.js';
import { eventText } from '../events/event-texts.js';

/** What the rule engine needs of a rule (a subset of `RuleModel`). */
export interface RuleSpec {
  condition: Condition;
  event: EventClass;
  /** The failure rate: `for N cycles`, `X times within Y cycles`. */
  rate: Rate;
  /** The recovery rate: `else if succeeded [rate] then …`. */
  elseRate: Rate;
  action: ActionSpec;
  /** Absent: the implicit alert on recovery (reference D2). */
  elseAction?: ActionSpec;
}

/** One cycle's result of a test: the probe's, or the runner's deadline. */
export type Outcome = ProbeResult | { status: 'timeout'; message: string };

/** What the engine remembers of one rule between cycles. Plain data: it may be persisted. Made by {@link ruleState} only. */
export interface RuleState {
  /** `init` = no verdict yet. */
  status: 'init' | 'ok' | 'failed';
  /** Per judged cycle: true = condition failing; newest last; at most {@link HISTORY_LIMIT}. */
  history: boolean[];
  /** Reference value for `changed`. */
  lastValue: number | string | undefined;
  /** Judged cycles since the action last ran (for `repeat every N cycles`). */
  sinceAction: number;
  /** The last outcome's message. */
  message: string | undefined;
}

/** An event the caller dispatches: log, alert, run the actions. */
export interface RuleEvent {
  state: 'failed' | 'succeeded' | 'changed';
  cls: EventClass;
  /** Monit's `$EVENT`: `eventText(cls, state)`. */
  text: string;
  /** Monit's `$DESCRIPTION`: the outcome's message. */
  description: string;
  actions: ActionSpec[];
}

/** The verdict of one cycle for one rule. */
export interface Evaluation {
  state: RuleState;
  event?: RuleEvent;
  /** Failing, but the rate is not reached yet: the caller logs a warning (reference R7). */
  pending?: { failures: number; needed: number };
  /**
   * Counts as failing for the service status now. A rule that is `failed`, still failing and
   * without `event` is an ongoing failure: Monit 5.33 re-runs restart/start/stop actions on
   * such cycles (not alert, and exec only through `repeat`); that choice is the dispatcher's.
   */
  failing: boolean;
  /** The outcome was `error` or `skipped` (or a timeout for a value rule): nothing judged. */
  noData?: boolean;
}

/** Monit keeps 64 cycles of history per event (a 64-bit state map); rates reach at most 64. */
export const HISTORY_LIMIT = 64;

/**
 * The state of a rule that has never been judged: one shared, frozen object for every rule of
 * every service. The engine never modifies a state (it makes the next one), and most rules'
 * data-access states never leave this one, so thousands of services keep no copies of it.
 */
export function initialRuleState(): RuleState {
  return INITIAL;
}

/**
 * A rule state, built field by field with every field present: every state has one shape, so
 * the engine's loads of its fields stay monomorphic. Never spread a state to change a field
 * (`{ ...state, message }`): on Node 20's V8, a property added after an object spread gives
 * the copy a map of its own, and at thousands of services the loads of those states missed
 * V8's stub cache on every check.
 */
export function ruleState(status: RuleState['status'], history: boolean[], lastValue: number | string | undefined, sinceAction: number, message: string | undefined): RuleState {
  return { status, history, lastValue, sinceAction, message };
}

/** The empty history, shared: histories are never modified (see `append`). */
const NO_HISTORY = Object.freeze([]) as unknown as boolean[];

const INITIAL: RuleState = Object.freeze(ruleState('init', NO_HISTORY, undefined, 0, undefined));

/** `state` with another message. */
export function withMessage(state: RuleState, message: string): RuleState {
  return ruleState(state.status, state.history, state.lastValue, state.sinceAction, message);
}

/**
 * Judge one outcome against one rule and move its state on (reference D1–D10, R7).
 * Pure: `prev` is not modified.
 */
export function evaluateRule(rule: RuleSpec, prev: RuleState, outcome: Outcome): Evaluation {
  const judged = judge(rule.condition, outcome);
  if (judged === undefined) {
    return { state: withMessage(prev, outcome.message), failing: prev.status === 'failed', noData: true };
  }
  if (rule.condition.kind === 'changed') return evaluateChange(rule, prev, outcome, judged.value);
  return evaluateFailure(rule, prev, outcome, judged.failing);
}

interface Judgement {
  failing: boolean;
  value?: number | string;
}

/** Whether the condition holds this cycle; undefined when there is nothing to judge. */
function judge(condition: Condition, outcome: Outcome): Judgement | undefined {
  if (outcome.status === 'error' || outcome.status === 'skipped') return undefined;
  switch (condition.kind) {
    case 'state': {
      const bad = outcome.status !== 'ok';
      return { failing: condition.invert === true ? !bad : bad };
    }
    case 'compare': {
      const value = valueOf(outcome);
      if (typeof value !== 'number') return undefined;
      return { failing: compare(value, condition.comparison.op, condition.comparison.value), value };
    }
    case 'changed': {
      const value = valueOf(outcome);
      if (value === undefined) return undefined;
      return { failing: false, value };
    }
  }
}

function valueOf(outcome: Outcome): number | string | undefined {
  return outcome.status === 'timeout' ? undefined : outcome.value;
}

/**
 * True when judging the same outcome again would move nothing but `sinceAction` (which
 * counts only while a rule is failed): the rule passes, raised no event, counts no rate (its
 * history holds passing cycles only), and a `changed` rule's reference is the outcome's value.
 * Core then may skip judging it while its test's result stays the same.
 */
export function atRest(rule: RuleSpec, ev: Evaluation, outcome: Outcome): boolean {
  if (ev.event !== undefined || ev.pending !== undefined || ev.failing || ev.noData === true) return false;
  const { state } = ev;
  if (state.status !== 'ok' || !onlyPasses(state.history)) return false;
  return rule.condition.kind !== 'changed' || state.lastValue === valueOf(outcome);
}

/**
 * True when a history holds no failing (or changing) cycle. For a rule that is `ok`, such a
 * history judges every later cycle as a whole window of passes would: an `ok` rule counts only
 * its failures (a `failed` one counts successes too, and there a missing cycle is not a
 * success), and a cycle not recorded yet is not a failure. So a passing rule is settled from its
 * first passing cycle on, not only once it has passed a whole window.
 */
function onlyPasses(history: readonly boolean[]): boolean {
  for (const bit of history) if (bit) return false;
  return true;
}

/** `failed`/`succeeded` rules: rates on the way down and on the way up. */
function evaluateFailure(rule: RuleSpec, prev: RuleState, outcome: Outcome, failing: boolean): Evaluation {
  if (!failing && passingAgain(prev, outcome)) return { state: prev, failing: false };
  const history = append(prev.history, failing, windowOf(rule));
  const base = ruleState(prev.status, history, prev.lastValue, prev.sinceAction + 1, outcome.message);

  if (prev.status !== 'failed') {
    if (!failing) return { state: ruleState('ok', history, prev.lastValue, base.sinceAction, outcome.message), failing: false };
    const failures = count(history, rule.rate.cycles, true);
    if (failures >= rule.rate.times) {
      return {
        state: fired(base, 'failed'),
        event: makeEvent(rule, 'failed', outcome, [rule.action]),
        failing: true,
      };
    }
    return { state: base, pending: { failures, needed: rule.rate.times }, failing: false };
  }

  if (failing) {
    const repeat = rule.action.repeat;
    if (repeat !== undefined && repeat > 0 && base.sinceAction >= repeat) {
      return {
        state: ruleState(base.status, base.history, base.lastValue, 0, base.message),
        event: makeEvent(rule, 'failed', outcome, [rule.action]),
        failing: true,
      };
    }
    return { state: base, failing: true };
  }

  const successes = count(history, rule.elseRate.cycles, false);
  if (successes >= rule.elseRate.times) {
    const recovery = rule.elseAction ?? defaultAlert(rule.action);
    return {
      state: fired(base, 'ok'),
      event: makeEvent(rule, 'succeeded', outcome, [recovery]),
      failing: false,
    };
  }
  return { state: base, failing: true };
}

/** `changed` rules: the first value is the baseline; each later difference is one event. */
function evaluateChange(rule: RuleSpec, prev: RuleState, outcome: Outcome, value: number | string | undefined): Evaluation {
  if (prev.lastValue === undefined) {
    return { state: ruleState('ok', prev.history, value, prev.sinceAction, outcome.message), failing: false };
  }
  const changed = value !== prev.lastValue;
  if (!changed && passingAgain(prev, outcome)) return { state: prev, failing: false };
  const history = append(prev.history, changed, windowOf(rule));
  const base = ruleState('ok', history, value, prev.sinceAction + 1, outcome.message);
  if (!changed) return { state: base, failing: false };
  const changes = count(history, rule.rate.cycles, true);
  if (changes >= rule.rate.times) {
    return {
      state: fired(base, 'ok'),
      event: makeEvent(rule, 'changed', outcome, [rule.action]),
      failing: true,
    };
  }
  return { state: base, pending: { failures: changes, needed: rule.rate.times }, failing: false };
}

/**
 * True when one more passing cycle (the caller has seen it pass) moves nothing in `prev`, which
 * then stays the state: it passed, its history holds passing cycles only (see
 * {@link onlyPasses}: one more changes nothing it decides), and the message is the same. Only `sinceAction` would move, and it counts only
 * for a failed rule (an event resets it). Most rules pass cycle after cycle: keeping the state
 * object (and building no history) keeps it out of the garbage, and a state replaced every cycle
 * would outlive a scavenge and be collected in old space.
 */
function passingAgain(prev: RuleState, outcome: Outcome): boolean {
  return prev.status === 'ok' && prev.message === outcome.message && onlyPasses(prev.history);
}

/**
 * The state after an event. Monit refills its state map with the new state after a state
 * change, so the next change needs the full rate again; an empty history does the same.
 */
function fired(base: RuleState, status: RuleState['status']): RuleState {
  return ruleState(status, NO_HISTORY, base.lastValue, 0, base.message);
}

function makeEvent(rule: RuleSpec, state: RuleEvent['state'], outcome: Outcome, actions: ActionSpec[]): RuleEvent {
  return { state, cls: rule.event, text: eventText(rule.event, state), description: outcome.message, actions };
}

/** The implicit recovery action when a rule has no `else` (reference D2). */
function defaultAlert(action: ActionSpec): ActionSpec {
  return { name: 'alert', describe: 'alert', pos: action.pos };
}

/**
 * The cycles of history a rule reads: its failure and recovery windows. Keeping no more
 * spares copying 64 entries per rule and cycle when most rules look at one cycle.
 */
function windowOf(rule: RuleSpec): number {
  return Math.min(HISTORY_LIMIT, Math.max(1, rule.rate.cycles, rule.elseRate.cycles));
}

function append(history: readonly boolean[], bit: boolean, limit: number): boolean[] {
  const keep = Math.min(history.length, limit - 1);
  // A one-cycle history (most rules read one cycle) is one of two shared, frozen arrays:
  // histories are never modified, and thousands of rules need not keep a copy each.
  if (keep === 0) return bit ? ONE_FAILING : ONE_PASSING;
  const next = new Array<boolean>(keep + 1);
  for (let i = 0; i < keep; i++) next[i] = history[history.length - keep + i]!;
  next[keep] = bit;
  return next;
}

const ONE_PASSING = Object.freeze([false]) as boolean[];
const ONE_FAILING = Object.freeze([true]) as boolean[];

/** How many of the last `cycles` entries equal `bit`. */
function count(history: readonly boolean[], cycles: number, bit: boolean): number {
  let n = 0;
  for (let i = Math.max(0, history.length - cycles); i < history.length; i++) {
    if (history[i] === bit) n++;
  }
  return n;
}
