import type { Clock } from '@warden/sdk';

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
export async function runTimed<T>(
  fn: (signal: AbortSignal, deadline: number) => Promise<T> | T,
  timeoutMs: number,
  clock: Clock,
  parent?: AbortSignal,
  graceMs = ABORT_GRACE_MS,
): Promise<Timed<T>> {
  const controller = new AbortController();
  const started = clock.monotonic();
  const deadline = clock.now() + timeoutMs;
  const onParentAbort = () => controller.abort(parent?.reason);
  // An already aborted parent never fires 'abort' again: the probe must start aborted.
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  let deadlineTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    deadlineTimer = setTimeout(() => {
      controller.abort(new Error(`deadline of ${timeoutMs} ms exceeded`));
      // Give a probe that honours its signal a moment to return its own failure.
      graceTimer = setTimeout(() => resolve('timeout'), graceMs);
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([
      Promise.resolve().then(() => fn(controller.signal, deadline)).then((value) => ({ value })),
      timedOut,
    ]);
    const durationMs = clock.monotonic() - started;
    if (outcome === 'timeout') return { kind: 'timeout', durationMs };
    return { kind: 'value', value: outcome.value, durationMs };
  } catch (err) {
    const durationMs = clock.monotonic() - started;
    // A probe that throws because its signal fired (AbortError) missed the deadline.
    if (controller.signal.aborted && !parent?.aborted) return { kind: 'timeout', durationMs };
    return { kind: 'error', error: err instanceof Error ? err : new Error(String(err)), durationMs };
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(graceTimer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
