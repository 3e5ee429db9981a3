import { setMaxListeners } from 'node:events';
/** Deadlines that fall within one tick share one signal and one timer. */
export const DEADLINE_TICK_MS = 50;

interface Bucket extends DeadlineSlot {
  readonly controller: AbortController;
  /** Epoch milliseconds at which the bucket's signal fires. */
  readonly deadline: number;
  readonly tick: number;
  readonly parent: AbortSignal | undefined;
  readonly waiters: Set<() => void>;
  /** Its deadline came: it takes no newcomers. */
  fired: boolean;
  timer?: NodeJS.Timeout;
  unlink?: () => void;
}

/** The shared signal and deadline of the probes whose deadlines fall in one tick. */
export interface DeadlineSlot {
  readonly signal: AbortSignal;
  readonly deadline: number;
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
  /** The bucket handed out last: thousands of probes in a row fall in the same one. */
  private last: Bucket | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  lease(timeoutMs: number, parent: AbortSignal | undefined, onDeadline: () => void): DeadlineLease {
    const slot = this.slot(timeoutMs, parent);
    return { signal: slot.signal, deadline: slot.deadline, release: this.wait(slot, onDeadline) };
  }

  /**
   * The signal and deadline of a probe starting now, without a place in the bucket: enough for
   * a probe that answers synchronously (its deadline cannot fire meanwhile). One that does not
   * then takes its place with {@link wait}, before anything else runs.
   */
  slot(timeoutMs: number, parent: AbortSignal | undefined): DeadlineSlot {
    const tick = Math.ceil((this.now() + timeoutMs) / DEADLINE_TICK_MS);
    const last = this.last;
    if (last !== undefined && last.tick === tick && last.parent === parent && !last.fired) return last;
    let byTick = this.buckets.get(parent);
    if (byTick === undefined) {
      this.buckets.set(parent, (byTick = new Map()));
      // One listener per open bucket (a tick with a probe in flight): dozens with long timeouts.
      if (parent) setMaxListeners(0, parent);
    }
    return (this.last = byTick.get(tick) ?? this.open(byTick, tick, parent));
  }

  /** Call `onDeadline` when the slot's deadline fires; returns the release (the probe is done). */
  wait(slot: DeadlineSlot, onDeadline: () => void): () => void {
    const bucket = slot as Bucket;
    bucket.waiters.add(onDeadline);
    return () => void bucket.waiters.delete(onDeadline);
  }

  private open(byTick: Map<number, Bucket>, tick: number, parent: AbortSignal | undefined): Bucket {
    const deadline = tick * DEADLINE_TICK_MS;
    const controller = new AbortController();
    const bucket: Bucket = { controller, signal: controller.signal, deadline, tick, parent, waiters: new Set(), fired: false };
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
      bucket.fired = true;
      if (this.last === bucket) this.last = undefined;
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
