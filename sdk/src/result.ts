import type { EventClass } from './define.js';

/** A value a probe may report: kept in the status store and shown in status output. */
export type Observation = number | string | boolean | null;

/**
 * What a probe reports for one run.
 *
 * - `ok`: the probe worked and found nothing wrong (or, for a comparison or `changed`
 *   test, measured `value`; the rule engine judges it).
 * - `failed`: the probe detected a problem; `code` is one of the test's declared codes.
 * - `error`: the probe itself could not work (the monitor is broken, not the service).
 * - `skipped`: nothing to judge this cycle (an asynchronous result not in yet).
 *
 * A deadline is turned into `timeout` by the runner, never by the probe. Core never modifies a
 * result (nor its observations), so a probe may hand out one shared, frozen result for an
 * outcome that recurs across services (`file exists`): a resting rule keeps it, not a copy.
 */
export interface ProbeResult {
  readonly status: 'ok' | 'failed' | 'error' | 'skipped';
  /** A declared failure code (`<plugin>.<reason>`), for `failed` and `error`. */
  readonly code?: string;
  /** One line for the log and the alert: `process is not running`, `status failed (2) -- out`. */
  readonly message: string;
  /** The measured value, for comparison and `changed` rules. */
  readonly value?: number | string;
  /** How to print `value` in messages (`10 B`, `0644`); defaults to `String(value)`. */
  readonly display?: string;
  /** Extra values for status pages and metrics. */
  readonly observations?: Readonly<Record<string, Observation>>;
  /**
   * The failure belongs to another event class than the rule's: `data` (Monit's `Data access
   * error`) when the object could not be read. The rule is not judged that cycle; core raises
   * the class's own event once and its recovery when the probe works again.
   */
  readonly event?: EventClass;
}

/** Optional parts of a result. */
export type ResultExtras = Pick<ProbeResult, 'value' | 'display' | 'observations'>;

/** The probe worked and found nothing wrong. */
export function ok(message: string, extras: ResultExtras = {}): ProbeResult {
  return { status: 'ok', message, ...extras };
}

/** The probe detected a problem, named by one of its declared codes. */
export function fail(code: string, message: string, extras: ResultExtras = {}): ProbeResult {
  return { status: 'failed', code, message, ...extras };
}

/**
 * The probe could not read what it judges (`EACCES`): Monit's `Data access error`, raised once
 * and followed by `Data access succeeded` when the probe works again; the rule is not judged.
 */
export function dataError(code: string, message: string): ProbeResult {
  return { status: 'failed', code, message, event: 'data' };
}

/** Nothing to judge this cycle. */
export function skipped(message: string, extras: ResultExtras = {}): ProbeResult {
  return { status: 'skipped', message, ...extras };
}

/** What an action reports. */
export interface ActionResult {
  readonly status: 'done' | 'failed' | 'skipped';
  readonly message: string;
}

/** The action did what it was asked. */
export function done(message: string): ActionResult {
  return { status: 'done', message };
}

/** The action could not do what it was asked. */
export function actionFailed(message: string): ActionResult {
  return { status: 'failed', message };
}
