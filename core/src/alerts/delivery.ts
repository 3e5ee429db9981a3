import type { AlertMessage, Clock, EventStore, Logger, NotifierDefinition } from '@warden/sdk';
import type { AlertSubmitter } from './alert-router.js';
import { MemoryStore } from './memory-store.js';

/** What a delivery queue is built from. */
export interface DeliveryOptions {
  readonly notifiers: readonly NotifierDefinition[];
  /** The durable event queue (`set eventqueue`); absent: a bounded in-memory one. */
  readonly store?: EventStore;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  readonly clock: Clock;
  /** Queued alerts are retried this often (the poll interval). */
  readonly intervalMs: number;
}

/** A delivery attempt may take this long at most, whatever the notifier's own timeouts. */
const ATTEMPT_LIMIT_MS = 120_000;

/**
 * The alert queue: every alert is stored first (on disk with `set eventqueue`), then
 * delivered in the background, per notifier one at a time and in order; it is removed once
 * accepted. A failed delivery stays queued and is retried every poll interval, oldest first;
 * the first failure of a round ends that notifier's round so the order holds. Nothing here
 * is ever awaited by the check cycle: `submit` returns at once.
 */
export class Delivery implements AlertSubmitter {
  private readonly store: EventStore;
  private readonly durable: boolean;
  private readonly pending = new Map<string, AlertMessage[]>();
  private readonly running = new Map<string, Promise<void>>();
  /** Ids already logged as queued for later delivery. */
  private readonly queued = new Set<string>();
  /** Ids that could not be stored: tried once, then dropped. */
  private readonly volatile = new Set<string>();
  private adding: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DeliveryOptions) {
    this.store = options.store ?? new MemoryStore();
    this.durable = options.store !== undefined;
  }

  /** Load what an earlier run left in the store, deliver it, and retry every interval. */
  async start(carried: readonly AlertMessage[] = []): Promise<void> {
    let stored: AlertMessage[] = [];
    try {
      stored = await this.store.list();
    } catch (err) {
      this.options.log.error(`Event queue: cannot read the queued events -- ${(err as Error).message}`);
    }
    for (const msg of stored) {
      this.queued.add(msg.id);
      this.enqueue(msg);
    }
    if (carried.length > 0) this.submit(carried);
    if (stored.length > 0) this.options.log.info(`Processing postponed events queue (${stored.length} event(s) from an earlier run)`);
    this.kickAll();
    this.timer = setInterval(() => this.tick(), Math.max(100, this.options.intervalMs));
  }

  /** Store and deliver alerts in the background; returns at once. */
  submit(messages: readonly AlertMessage[]): void {
    for (const msg of messages) {
      this.adding = this.adding.then(async () => {
        try {
          await this.store.add(msg);
        } catch (err) {
          this.options.log.error(`Event queue: cannot queue the event -- ${(err as Error).message}`);
          this.volatile.add(msg.id);
        }
        // Behind alerts that failed this round it waits for the next one, keeping the order.
        const waiting = (this.pending.get(msg.notifier)?.length ?? 0) > 0;
        this.enqueue(msg);
        if (!waiting) this.kick(msg.notifier);
        else if (!this.running.has(msg.notifier)) this.announce(msg);
      });
    }
  }

  /** Alerts not delivered yet, oldest first (kept in memory only; the durable store keeps its own). */
  undelivered(): AlertMessage[] {
    return [...this.pending.values()].flat();
  }

  /** Let deliveries under way finish (bounded by `graceMs`), then stop retrying. */
  async stop(graceMs = 5000): Promise<AlertMessage[]> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.idle(), grace]);
    clearTimeout(timer);
    this.controller.abort(new Error('warden is stopping'));
    return this.durable ? [] : this.undelivered().filter((m) => !this.volatile.has(m.id));
  }

  /** Resolves when everything submitted so far was stored and tried once. */
  async idle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      await this.adding;
      const busy = [...this.running.values()];
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  private enqueue(msg: AlertMessage): void {
    const list = this.pending.get(msg.notifier) ?? [];
    if (!this.pending.has(msg.notifier)) this.pending.set(msg.notifier, list);
    list.push(msg);
  }

  private tick(): void {
    if (this.undelivered().length === 0) return;
    this.options.log.debug('Processing postponed events queue');
    this.kickAll();
  }

  private kickAll(): void {
    for (const name of this.pending.keys()) this.kick(name);
  }

  /** Start the notifier's round unless one is running. */
  private kick(name: string): void {
    if (this.running.has(name) || this.controller.signal.aborted) return;
    const round = this.round(name).finally(() => {
      this.running.delete(name);
      // What is left waits for a later round.
      for (const waiting of this.pending.get(name) ?? []) this.announce(waiting);
    });
    this.running.set(name, round);
  }

  /** Deliver the notifier's pending alerts in order until one fails. */
  private async round(name: string): Promise<void> {
    const list = this.pending.get(name)!;
    const notifier = this.options.notifiers.find((n) => n.name === name);
    const log = this.options.log;
    while (list.length > 0 && !this.controller.signal.aborted) {
      const msg = list[0]!;
      if (!notifier) {
        log.warning(`Queued event ${this.store.where(msg.id)} is for the notifier '${name}', which is not loaded; keeping it`);
        return;
      }
      const where = this.store.where(msg.id);
      const retry = this.queued.has(msg.id);
      if (retry) log.debug(`Processing queued event '${where}'`);
      if (msg.maybeSent) log.warning(`Queued event '${where}' may have been delivered already (warden stopped during its delivery); delivering it again, possibly a duplicate`);
      const ok = await this.attempt(notifier, msg);
      if (ok === 'retry') {
        if (this.volatile.has(msg.id)) {
          this.drop(list, msg);
          continue;
        }
        if (retry) log.error('Alert handler failed, retry scheduled for next cycle');
        // The ones behind it wait their turn, queued too; those that could not be queued go.
        for (const waiting of list.filter((m) => this.volatile.has(m.id))) this.drop(list, waiting);
        return;
      }
      list.shift();
      this.volatile.delete(msg.id);
      this.queued.delete(msg.id);
      try {
        await this.store.remove(msg.id);
        if (retry) log.debug(`Removing queued event ${where}`);
      } catch (err) {
        log.error(`Event queue: cannot remove the delivered event ${where} -- ${(err as Error).message}`);
      }
    }
  }

  /** Give up an alert that could not be stored and could not be delivered (Monit drops it too). */
  private drop(list: AlertMessage[], msg: AlertMessage): void {
    this.options.log.error(`Alert handler failed, the event could not be queued and is dropped: ${msg.event.text} ${msg.event.service}`);
    this.volatile.delete(msg.id);
    list.splice(list.indexOf(msg), 1);
  }

  /** Log once that an alert waits in the queue for a later cycle. */
  private announce(msg: AlertMessage): void {
    if (this.queued.has(msg.id)) return;
    this.queued.add(msg.id);
    if (this.volatile.has(msg.id)) return;
    if (this.durable) this.options.log.info(`Adding event to the queue file ${this.store.where(msg.id)} for later delivery`);
    else this.options.log.info(`Keeping event in memory for later delivery (no set eventqueue): ${msg.event.text} ${msg.event.service}`);
  }

  /** One delivery; 'retry' when it should be tried again later. */
  private async attempt(notifier: NotifierDefinition, msg: AlertMessage): Promise<'done' | 'retry'> {
    const log = this.options.log;
    try {
      await this.store.markSending?.(msg.id);
    } catch {
      // Only the duplicate warning after a crash depends on it.
    }
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(ATTEMPT_LIMIT_MS)]);
    try {
      const result = await notifier.deliver({ alert: msg, settings: this.options.settings, signal, log, clock: this.options.clock });
      if (result.ok) return 'done';
      log.error(result.message);
      if (result.permanent) {
        log.error(`Dropping the event for ${msg.recipient?.address ?? notifier.name}: the receiver refused it permanently`);
        return 'done';
      }
      return 'retry';
    } catch (err) {
      log.error(`${notifier.name}: delivery failed -- ${(err as Error).message}`);
      return 'retry';
    }
  }
}
