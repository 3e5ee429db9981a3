import { setMaxListeners } from 'node:events';
/** Deadlines that fall within one tick share one signal and one timer. */
export const DEADLINE_TICK_MS = 50;

interface Bucket {
  readonly controller: AbortController;
  /** Epoch milliseconds at which the bucket's signal fires. */
  readonly deadline: number;
  readonly waiters: Set<() => void>;
  timer?: NodeJS.Timeout;
  unlink?: () => void;
}

/** One probe's place in a bucket. */
export interface DeadlineLease {
  readonly signal: AbortSignal;
  readonly deadline: number;
  /** The probe is done: leave the bucket. */
  release(): void;
}

/**
 * Shared deadlines: thousands of probes per cycle would otherwise each cost an
 * AbortController, a timer and a listener on the shutdown signal. Probes whose deadlines fall
 * in the same {@link DEADLINE_TICK_MS} tick (rounded up: a deadline is never early, at most one
 * tick late) share a signal; it aborts at the deadline or when `parent` aborts. `onDeadline`
 * is called per probe still in the bucket when it fires. Owned by a scheduler.
 */
export class Deadlines {
  private readonly buckets = new Map<AbortSignal | undefined, Map<number, Bucket>>();

  constructor(private readonly now: () => number = Date.now) {}

  lease(timeoutMs: number, parent: AbortSignal | undefined, onDeadline: () => void): DeadlineLease {
    const tick = Math.ceil((this.now() + timeoutMs) / DEADLINE_TICK_MS);
    let byTick = this.buckets.get(parent);
    if (byTick === undefined) this.buckets.set(parent, (byTick = new Map()));
    let bucket = byTick.get(tick);
    if (bucket === undefined) bucket = this.open(byTick, tick, parent);
    const b = bucket;
    b.waiters.add(onDeadline);
    return {
      signal: b.controller.signal,
      deadline: b.deadline,
      release: () => void b.waiters.delete(onDeadline),
    };
  }

  private open(byTick: Map<number, Bucket>, tick: number, parent: AbortSignal | undefined): Bucket {
    const deadline = tick * DEADLINE_TICK_MS;
    const bucket: Bucket = { controller: new AbortController(), deadline, waiters: new Set() };
    // Every probe in the bucket listens on its signal (a socket, a child): any number is expected.
    setMaxListeners(0, bucket.controller.signal);
    byTick.set(tick, bucket);
    const onParentAbort = () => bucket.controller.abort(parent?.reason);
    if (parent?.aborted) onParentAbort();
    else if (parent) {
      parent.addEventListener('abort', onParentAbort, { once: true });
      bucket.unlink = () => parent.removeEventListener('abort', onParentAbort);
    }
    bucket.timer = setTimeout(() => {
      // A fired bucket takes no newcomers: they get a fresh one.
      byTick.delete(tick);
      if (byTick.size === 0 && this.buckets.get(parent) === byTick) this.buckets.delete(parent);
      bucket.unlink?.();
      bucket.controller.abort(new Error(`deadline exceeded`));
      for (const waiter of [...bucket.waiters]) waiter();
    }, Math.max(0, deadline - this.now()));
    // An emptied bucket is left to fire (a no-op) rather than cleared: a synchronous probe
    // then costs no timer of its own. Unreferenced: pending deadlines never keep warden up.
    bucket.timer.unref();
    return bucket;
  }

  /** Buckets not fired yet (for tests). */
  get size(): number {
    let n = 0;
    for (const m of this.buckets.values()) n += m.size;
    return n;
  }
}
