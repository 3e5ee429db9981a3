import type { CycleContext } from '@warden/sdk';
import { cronParser } from '../config/cron.js';
import type { Schedule } from '../config/model.js';
import { MISSING_FD, type PathWatch, type WatchPaths } from '../fs/stat-path.js';
import type { StatusStore } from '../status/status-store.js';
import { checkService, type CheckReport } from './check-service.js';
import { isThenable } from './runner.js';
import { Deadlines } from './deadlines.js';
import type { Dispatcher } from './dispatch.js';
import type { Engine } from './engine.js';
import { type ExitWatcher, PID_WATCH_INTERVAL_MS, PidWatch } from './pid-watch.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { EngineDeps } from './types.js';

/** Scheduler settings: `set daemon N [with start delay N]`, `-d N`, the concurrency bound. */
export interface ScheduleOptions {
  readonly intervalMs: number;
  readonly startDelayMs: number;
  /** Services checked at once; one slow host never delays the others beyond this bound. */
  readonly concurrency: number;
  /** Called after every cycle (the daemon writes its state file). */
  readonly onCycle?: () => void;
  /** Reports a watched process's death from the kernel (the native addon); without it, pids are polled. */
  readonly watchExit?: ExitWatcher;
}

/**
 * True when a service with this schedule is due (D11–D13). `cyclesSeen` counts the earlier
 * cycles in which the service was considered, so `every 3 cycles` is due at 0, 3, 6, …; `now`
 * is matched against a cron expression to the minute (`not every` inverts it).
 */
export function isDue(schedule: Schedule, cyclesSeen: number, now: number): boolean {
  switch (schedule.kind) {
    case 'always':
      return true;
    case 'cycles':
      return cyclesSeen % schedule.n === 0;
    case 'cron': {
      const minute = Math.floor(now / 60_000) * 60_000;
      const next = cronParser().parse(schedule.expression, { currentDate: new Date(minute - 1) }).next().getTime();
      const inWindow = next === minute;
      return schedule.negate ? !inWindow : inWindow;
    }
  }
}

/** The work shared by all services of one cycle (one `/proc` scan for every process check). */
export function createCycle(number: number): CycleContext {
  const memo = new Map<string, Promise<unknown>>();
  const values = new Map<string, unknown>();
  return {
    number,
    memo<T>(key: string, compute: () => Promise<T> | T): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = Promise.resolve().then(compute);
        memo.set(key, p);
      }
      return p;
    },
    memoSync<T>(key: string, compute: () => T): T {
      if (values.has(key)) return values.get(key) as T;
      const value = compute();
      values.set(key, value);
      return value;
    },
  };
}

/**
 * Runs cycles: every due service is checked, prerequisites before dependants, at most
 * `concurrency` at once; then its events are dispatched. `wake()` starts the next cycle now
 * (SIGUSR1); `stop()` ends the loop after aborting the checks in flight.
 */
export class Scheduler {
  private readonly controller = new AbortController();
  /** Shared probe deadlines: one timer per tick, not one per probe. */
  private readonly deadlines = new Deadlines(() => this.deps.clock.now());
  private wakeUp: (() => void) | undefined;
  /** A wake() that came while a cycle ran: the next sleep ends at once. */
  private wakeRequested = false;
  private loop: Promise<void> | undefined;
  /** The check under way per service: cycle checks and checks between cycles never overlap. */
  private readonly busy = new Map<string, Promise<void>>();
  /** Services with a check between cycles queued. */
  private readonly queued = new Set<string>();
  private readonly watch: PidWatch;
  /** The watched paths of services whose type names one (`statPath`); each one's slot is its `pathSlot`. */
  private readonly paths: PathWatch | undefined;
  /** The slots the last batch stat'ed, and in which cycle. */
  private batch = { cycle: 0, from: 0, to: 0 };

  constructor(
    private readonly engine: Engine,
    private readonly dispatcher: Dispatcher,
    private readonly deps: EngineDeps,
    private readonly store: StatusStore,
    private readonly options: ScheduleOptions,
  ) {
    this.watch = new PidWatch((name) => void this.checkNow(name), PID_WATCH_INTERVAL_MS, options.watchExit);
    this.paths = watchedPaths(engine.order, deps.watchPaths);
  }

  /** Check every due service once. */
  async runCycle(): Promise<void> {
    const started = this.deps.clock.now();
    const t0 = this.deps.clock.monotonic();
    this.engine.cycle++;
    const cycle = createCycle(this.engine.cycle);
    await runInOrder(this.engine.order, Math.max(1, this.options.concurrency), (rt) => this.checkOne(rt, cycle));
    this.store.lastCycle = { started, durationMs: this.deps.clock.monotonic() - t0 };
  }

  /** Check the service if it is due; a check that answers synchronously returns nothing. */
  private checkOne(rt: ServiceRuntime, cycle: CycleContext): Promise<void> | void {
    if (this.controller.signal.aborted || rt.status.monitor === 'not monitored') return;
    // A start/stop/restart under way (a user action) decides; checking meanwhile would undo it.
    if (this.engine.isActing(rt.model.name)) return;
    const { schedule } = rt.model;
    const due = schedule.kind === 'always' || isDue(schedule, rt.cyclesSeen, this.deps.clock.now());
    rt.cyclesSeen++;
    if (!due) return;
    // Nothing under way for any service (the usual case): no closure, no bookkeeping.
    if (this.busy.size === 0) return this.track(rt, this.check(rt, cycle, this.pathUnmoved(rt, cycle)));
    return this.serial(rt, () => this.check(rt, cycle, this.pathUnmoved(rt, cycle)));
  }

  /**
   * Whether the service's watched path did not move since its last check (false when it has
   * none). The paths of the services next in line are stat'ed together: one native call for
   * {@link PATH_BATCH} of them, each taken when its own check comes.
   */
  private pathUnmoved(rt: ServiceRuntime, cycle: CycleContext): boolean {
    const slot = rt.pathSlot;
    if (slot < 0) return false;
    const b = this.batch;
    if (b.cycle !== cycle.number || slot < b.from || slot >= b.to) {
      b.cycle = cycle.number;
      b.from = slot;
      b.to = slot + this.paths!.refresh(slot, PATH_BATCH);
    }
    return this.paths!.take(slot);
  }

  /**
   * Check the service and dispatch its events. Most local checks (a stat, a /proc read) and
   * their quiet verdicts answer synchronously, and then no promise is made on the way.
   */
  private check(rt: ServiceRuntime, cycle: CycleContext, pathUnmoved = false): Promise<void> | void {
    let report: CheckReport | Promise<CheckReport>;
    try {
      report = checkService(rt, this.deps, cycle, this.controller.signal, this.deadlines, pathUnmoved);
    } catch (err) {
      return this.checkFailed(rt, err);
    }
    if (isThenable(report)) return report.then((r) => this.checked(rt, r), (err: unknown) => this.checkFailed(rt, err));
    return this.checked(rt, report);
  }

  private checked(rt: ServiceRuntime, report: CheckReport): Promise<void> | void {
    this.keptFile(rt);
    return this.dispatch(rt, report);
  }

  private checkFailed(rt: ServiceRuntime, err: unknown): void {
    this.keptFile(rt);
    this.failed(rt, err);
  }

  /** After a check: the file the service's type keeps open now, for the batches (`statFd`). */
  private keptFile(rt: ServiceRuntime): void {
    const statFd = rt.model.definition.statFd;
    if (statFd !== undefined && rt.pathSlot >= 0) this.paths!.setFd(rt.pathSlot, statFd(rt.typeState) ?? MISSING_FD);
  }

  private dispatch(rt: ServiceRuntime, report: CheckReport): Promise<void> | void {
    const idle = report.events.length === 0 && report.ongoing.length === 0 && rt.model.restartLimits.length === 0;
    if (this.controller.signal.aborted || idle) return this.watchPid(rt);
    return this.dispatcher.dispatch(rt, report.events, report.ongoing).then(() => this.watchPid(rt), (err: unknown) => this.failed(rt, err));
  }

  private failed(rt: ServiceRuntime, err: unknown): void {
    this.deps.log.child(rt.model.name).error(`check failed unexpectedly -- ${(err as Error).message}`);
    this.watchPid(rt);
  }

  private watchPid(rt: ServiceRuntime): void {
    const watchPid = rt.model.definition.watchPid;
    if (watchPid === undefined || this.controller.signal.aborted) return;
    const pid = rt.status.monitor === 'not monitored' || rt.lastTarget === undefined ? undefined : watchPid(rt.lastTarget);
    // The pid it was last given: the watch holds it, or reported it dead and will not take it
    // again (`PidWatch.set`), so telling it again would change nothing.
    if (pid === rt.watchedPid) return;
    rt.watchedPid = pid;
    this.watch.set(rt.model.name, pid);
  }

  /**
   * Run `fn` after the service's check under way, if any. A call that finishes synchronously
   * with none under way leaves nothing behind: nothing else could have run meanwhile.
   */
  private serial(rt: ServiceRuntime, fn: () => Promise<void> | void): Promise<void> | void {
    const before = this.busy.size > 0 ? this.busy.get(rt.model.name) : undefined;
    return this.track(rt, before ? before.then(fn) : fn());
  }

  /** Keep a check under way as the service's until it ends; one that ended already is not kept. */
  private track(rt: ServiceRuntime, next: Promise<void> | void): Promise<void> | void {
    if (next === undefined) return;
    const name = rt.model.name;
    this.busy.set(name, next);
    void next.then(() => {
      if (this.busy.get(name) === next) this.busy.delete(name);
    });
    return next;
  }

  /**
   * Check one service now, outside the cycle (its watched pid died): serialized with its
   * cycle checks; skipped while it is unmonitored or a start/stop/restart of it is under way.
   */
  async checkNow(name: string): Promise<void> {
    const rt = this.engine.services.get(name);
    if (!rt || this.queued.has(name)) return;
    const skip = () => this.controller.signal.aborted || rt.status.monitor === 'not monitored' || this.engine.isActing(name);
    if (skip()) return;
    this.queued.add(name);
    await this.serial(rt, () => {
      this.queued.delete(name);
      if (!skip()) return this.check(rt, createCycle(this.engine.cycle));
    });
  }

  /** Start the loop: the start delay once, then a cycle every interval until `stop()`. */
  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    if (this.options.startDelayMs > 0) await this.sleep(this.options.startDelayMs);
    while (!this.controller.signal.aborted) {
      const started = this.deps.clock.monotonic();
      await this.runCycle();
      this.options.onCycle?.();
      if (this.controller.signal.aborted) break;
      // A cycle starts every interval (Monit sleeps the whole interval after each cycle, so its
      // period drifts by the cycle's length); a cycle longer than the interval starts the next at once.
      await this.sleep(Math.max(0, this.options.intervalMs - (this.deps.clock.monotonic() - started)));
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const signal = this.controller.signal;
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = finish;
      signal.addEventListener('abort', finish, { once: true });
    });
  }

  /** Run the next cycle now (SIGUSR1, a CLI or HTTP action); during a cycle, right after it. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakeRequested = true;
  }

  /** Abort checks in flight and wait for the loop to end. */
  async stop(): Promise<void> {
    this.controller.abort(new Error('warden is stopping'));
    this.watch.close();
    await this.loop;
  }
}

/**
 * How long a cycle may keep the event loop before it lets the rest of the daemon in (HTTP
 * requests, the pid watch, signals): local checks answer synchronously, so a cycle of
 * thousands would otherwise run in one stretch.
 */
export const CYCLE_SLICE_MS = 5;

/**
 * `fn` over every service in `order` (prerequisites first), at most `limit` at once; a
 * service starts once every prerequisite earlier in `order` has finished. Settles when all
 * have (`fn` does not reject: a rejection or a throw counts as finished; a call that returns
 * no promise finished then). Starts no new check after {@link CYCLE_SLICE_MS} of one stretch
 * until the event loop has turned once.
 */
export function runInOrder(order: readonly ServiceRuntime[], limit: number, fn: (rt: ServiceRuntime) => Promise<void> | void, sliceMs = CYCLE_SLICE_MS): Promise<void> {
  const plan = planOf(order);
  const ready = plan.ready.slice();
  const unfinished = new Map(plan.waits);
  const { dependants } = plan;
  return new Promise((resolve) => {
    let next = 0;
    let running = 0;
    let finished = 0;
    let sliceStart = performance.now();
    let yielding = false;
    const resume = (): void => {
      yielding = false;
      sliceStart = performance.now();
      pump();
    };
    const settle = (rt: ServiceRuntime): void => {
      running--;
      finished++;
      const waiting = dependants.size > 0 ? dependants.get(rt.model.name) : undefined;
      if (waiting === undefined) return;
      for (const d of waiting) {
        const left = unfinished.get(d)! - 1;
        unfinished.set(d, left);
        if (left === 0) ready.push(d);
      }
    };
    const done = (rt: ServiceRuntime): void => {
      settle(rt);
      pump();
    };
    const pump = (): void => {
      while (!yielding && running < limit && next < ready.length) {
        // The clock is read every 8 checks: thousands of checks of a few microseconds each.
        if ((next & 7) === 0 && performance.now() - sliceStart > sliceMs) {
          yielding = true;
          setImmediate(resume);
          break;
        }
        const rt = ready[next++]!;
        running++;
        let pending: Promise<void> | void;
        try {
          pending = fn(rt);
        } catch {
          pending = undefined;
        }
        // Finished already: no promise to wait for, and no nested pump.
        if (pending === undefined) settle(rt);
        else pending.then(() => done(rt), () => done(rt));
      }
      if (finished === order.length) resolve();
    };
    pump();
  });
}

/** What {@link runInOrder} needs of an order: where it starts and who waits for whom. */
interface Plan {
  /** The services that wait for nobody, in order. */
  readonly ready: readonly ServiceRuntime[];
  /** How many prerequisites each other service waits for. */
  readonly waits: ReadonlyMap<ServiceRuntime, number>;
  /** By service name: the services waiting for it. */
  readonly dependants: ReadonlyMap<string, readonly ServiceRuntime[]>;
}

/** Plans by order: an engine's order is fixed, and its plan is the same every cycle. */
const plans = new WeakMap<readonly ServiceRuntime[], Plan>();

function planOf(order: readonly ServiceRuntime[]): Plan {
  const known = plans.get(order);
  if (known !== undefined && known.ready.length + known.waits.size === order.length) return known;
  const ready: ServiceRuntime[] = [];
  const waits = new Map<ServiceRuntime, number>();
  const dependants = new Map<string, ServiceRuntime[]>();
  const seen = new Set<string>();
  for (const rt of order) {
    let n = 0;
    for (const d of rt.model.depends) {
      if (!seen.has(d)) continue;
      n++;
      const list = dependants.get(d);
      if (list) list.push(rt);
      else dependants.set(d, [rt]);
    }
    seen.add(rt.model.name);
    if (n === 0) ready.push(rt);
    else waits.set(rt, n);
  }
  const plan = { ready, waits, dependants };
  plans.set(order, plan);
  return plan;
}

/** Paths stat'ed per native call (see `Scheduler.pathUnmoved`). */
const PATH_BATCH = 64;

/**
 * The services that may skip observing while their path stays, in check order, with one
 * watched path each: sets each one's `pathSlot`. Their type names a `statPath`, and either
 * every rule of theirs can rest (none reads more than the target), or one can (so their checks
 * keep the target the probes ran on) and observing moves nothing in place (`observationsMove`:
 * a process's uptime) that the others might read.
 */
function watchedPaths(order: readonly ServiceRuntime[], watchPaths: WatchPaths | undefined): PathWatch | undefined {
  if (watchPaths === undefined) return undefined;
  const watched: ServiceRuntime[] = [];
  const paths: string[] = [];
  let descriptors = false;
  for (const rt of order) {
    const { definition } = rt.model;
    if (definition.statPath === undefined || !(rt.steady || (rt.restable && definition.observationsMove !== true))) continue;
    const path = definition.statPath(rt.model.target);
    if (path === undefined) continue;
    watched.push(rt);
    paths.push(path);
    if (definition.statFd !== undefined) descriptors = true;
  }
  if (paths.length === 0) return undefined;
  const watch = watchPaths(paths, descriptors);
  watched.forEach((rt, slot) => {
    rt.pathSlot = slot;
    // A type that keeps a file has none open before its first observation: moved until then.
    if (rt.model.definition.statFd !== undefined) watch.setFd(slot, MISSING_FD);
  });
  return watch;
}
