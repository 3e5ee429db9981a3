import type { Clock } from '@warden/sdk';
import type { Deadlines } from './deadlines.js';

/** How a timed call ended. */
export type Timed<T> =
  | { readonly kind: 'value'; readonly value: T; readonly durationMs: number }
  | { readonly kind: 'timeout'; readonly durationMs: number }
  | { readonly kind: 'error'; readonly error: Error; readonly durationMs: number };

/** How long a probe may keep running after its signal was aborted before it is abandoned. */
export const ABORT_GRACE_MS = 1000;

/**
 * Call `fn` with an `AbortSignal` that fires at the deadline (or when `parent` aborts),
 * measure it, and turn a missed deadline into `timeout` and a throw into `error`.
 * Probes never time themselves (STYLE rule 4): this is the one place that does. A probe
 * that ignores its signal is abandoned `graceMs` after the deadline; one that returns within
 * the grace keeps its own result. When `parent` aborts (shutdown), the probe's signal aborts
 * too and whatever it ends with (an AbortError → `error`) is returned.
 */
export function runTimed<T>(...args: Parameters<typeof runTimedNow<T>>): Promise<Timed<T>> {
  return Promise.resolve(runTimedNow(...args));
}

/**
 * {@link runTimed}, but a probe that returns or throws synchronously (most local checks: a
 * stat, a /proc read) gets its result back synchronously, with no promise on the way: the
 * engine checks thousands of such services per cycle. `startedAt` is a monotonic time the
 * caller read just before (one clock read fewer); `timed` false for a caller that never reads
 * the duration of a synchronous answer (it is then 0, and the clock is not read for it).
 */
export function runTimedNow<T>(
  fn: (signal: AbortSignal, deadline: number) => Promise<T> | T,
  timeoutMs: number,
  clock: Clock,
  parent?: AbortSignal,
  graceMs = ABORT_GRACE_MS,
  deadlines?: Deadlines,
  startedAt?: number,
  timed = true,
): Timed<T> | Promise<Timed<T>> {
  const started = startedAt ?? clock.monotonic();
  if (deadlines) return runShared(fn, timeoutMs, clock, parent, graceMs, deadlines, started, timed);
  const controller = new AbortController();
  const deadline = clock.now() + timeoutMs;
  const onParentAbort = () => controller.abort(parent?.reason);
  // An already aborted parent never fires 'abort' again: the probe must start aborted.
  if (parent?.aborted) onParentAbort();
  const failed = (err: unknown): Timed<T> => {
    const durationMs = clock.monotonic() - started;
    // A probe that throws because its signal fired (AbortError) missed the deadline.
    if (controller.signal.aborted && !parent?.aborted) return { kind: 'timeout', durationMs };
    return { kind: 'error', error: err instanceof Error ? err : new Error(String(err)), durationMs };
  };
  let returned: Promise<T> | T;
  try {
    returned = fn(controller.signal, deadline);
  } catch (err) {
    return failed(err);
  }
  // A synchronous probe (most local checks) needs no timer at all.
  if (!isThenable(returned)) return { kind: 'value', value: returned, durationMs: timed ? clock.monotonic() - started : 0 };
  const pending = returned;
  return new Promise<Timed<T>>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: Timed<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      resolve(result);
    };
    pending.then((value) => finish({ kind: 'value', value, durationMs: clock.monotonic() - started }), (err: unknown) => finish(failed(err)));
    // Arm the deadline only for a probe still running a few microtasks later: one that is
    // already done (an async function with nothing to wait for) costs no timer.
    void Promise.resolve().then(noop).then(() => {
      if (settled) return;
      if (parent?.aborted) onParentAbort();
      else parent?.addEventListener('abort', onParentAbort, { once: true });
      timer = setTimeout(() => {
        controller.abort(new Error(`deadline of ${timeoutMs} ms exceeded`));
        // Give a probe that honours its signal a moment to return its own failure.
        timer = setTimeout(() => finish({ kind: 'timeout', durationMs: clock.monotonic() - started }), graceMs);
      }, timeoutMs);
    });
  });
}

/** {@link runTimed} on a shared deadline: same contract, no controller or timer of its own. */
function runShared<T>(
  fn: (signal: AbortSignal, deadline: number) => Promise<T> | T,
  timeoutMs: number,
  clock: Clock,
  parent: AbortSignal | undefined,
  graceMs: number,
  deadlines: Deadlines,
  started: number,
  timed: boolean,
): Timed<T> | Promise<Timed<T>> {
  // A probe that answers synchronously needs only the signal: its deadline cannot fire meanwhile.
  const slot = deadlines.slot(timeoutMs, parent);
  let returned: Promise<T> | T;
  try {
    returned = fn(slot.signal, slot.deadline);
  } catch (err) {
    return failedRun(err, slot.signal, parent, clock.monotonic() - started);
  }
  if (!isThenable(returned)) return { kind: 'value', value: returned, durationMs: timed ? clock.monotonic() - started : 0 };
  const pending = returned;
  return new Promise<Timed<T>>((resolve) => {
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (result: Timed<T>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      release();
      resolve(result);
    };
    // Give a probe that honours its signal a moment to return its own failure.
    const release = deadlines.wait(slot, () => (grace = setTimeout(() => finish({ kind: 'timeout', durationMs: clock.monotonic() - started }), graceMs)));
    pending.then(
      (value) => finish({ kind: 'value', value, durationMs: clock.monotonic() - started }),
      (err: unknown) => finish(failedRun(err, slot.signal, parent, clock.monotonic() - started)),
    );
  });
}

/** A probe on a shared deadline threw: a timeout when its deadline (not a shutdown) aborted it. */
function failedRun<T>(err: unknown, signal: AbortSignal, parent: AbortSignal | undefined, durationMs: number): Timed<T> {
  if (signal.aborted && !parent?.aborted) return { kind: 'timeout', durationMs };
  return { kind: 'error', error: err instanceof Error ? err : new Error(String(err)), durationMs };
}

function noop(): void {}

export function isThenable<T>(v: Promise<T> | T): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
