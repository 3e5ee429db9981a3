import { closeSync, openSync, readSync } from 'node:fs';
import { softFdLimit } from '@warden/sdk';

/** How often the polled pids are looked at (when the kernel cannot report a death). */
export const PID_WATCH_INTERVAL_MS = 10;
/** At most this many pids per tick, round robin: the cost stays bounded with thousands of checks. */
export const PID_WATCH_BATCH = 16;
/** Files kept open at most: beyond, a look opens and closes the file (the daemon needs fds too). */
export const PID_WATCH_MAX_OPEN = 256;

/**
 * At most this share of the soft `RLIMIT_NOFILE` is held as pidfds (one per watched process);
 * beyond it pids are polled, so thousands of process checks never starve the daemon's sockets,
 * files and program runs of descriptors.
 */
export const PIDFD_SHARE = 0.5;

/** Half the soft descriptor limit (Node raises it to the hard limit at start), 4096 when unknown. */
export function pidfdBudget(): number {
  const soft = softFdLimit();
  return soft === undefined ? 4096 : Math.floor(soft * PIDFD_SHARE);
}

/** A pidfd watch that has not fired yet. */
export interface ExitWatchHandle {
  /** Stop watching: the callback will not be called. Idempotent. */
  close(): void;
}

/**
 * Calls `onExit` once when process `pid` exits, from the event loop (pidfd_open(2), Linux ≥
 * 5.3; a zombie has exited). Returns the watch; `false` when there is no such process (it is
 * already gone); `null` when the kernel cannot watch it (older kernel, no fd left): the caller
 * then polls. Implemented by the native addon (`watchExit` in core/native/reaper.c).
 */
export type ExitWatcher = (pid: number, onExit: () => void) => ExitWatchHandle | false | null;

/** One polled process: its pid and, when it could be opened, its `/proc/PID/stat` kept open. */
interface Polled {
  readonly pid: number;
  readonly fd: number | undefined;
}

/** One process the kernel reports: its pid and the watch (none when it was already gone). */
interface Evented {
  readonly pid: number;
  readonly handle: ExitWatchHandle | undefined;
}

/**
 * Watches the pids of monitored processes between cycles, so a death is checked at once
 * (Monit only sees it at the next cycle, reference R4). A zombie is dead too: it never runs
 * again, and init may take seconds to reap it.
 *
 * With an {@link ExitWatcher} the kernel tells: each pid gets a pidfd that the event loop
 * polls, so an idle daemon spends nothing and a death is seen within one turn of the loop,
 * however many pids are watched. Without one (no addon, a kernel before 5.3), or for a pid the
 * kernel will not watch, one timer for all services reads the `/proc/PID/stat` of at most
 * {@link PID_WATCH_BATCH} polled pids per tick, round robin. That file is opened once and
 * re-read in place (one `pread` per look): once the process is gone the read fails even if
 * its pid was reused.
 */
export class PidWatch {
  private readonly polled = new Map<string, Polled>();
  private readonly evented = new Map<string, Evented>();
  /** The pid last reported dead per service, until it gets another: not watched again (see {@link set}). */
  private readonly reported = new Map<string, number>();
  private queue: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly buf = Buffer.allocUnsafe(512);
  private open = 0;

  constructor(
    /** Called once per death, after the service's pid was dropped from the watch. */
    private readonly onDeath: (service: string, pid: number) => void,
    private readonly intervalMs = PID_WATCH_INTERVAL_MS,
    private readonly watchExit?: ExitWatcher,
    /** Pidfds held at most (see {@link PIDFD_SHARE}). */
    private readonly maxWatched = watchExit ? pidfdBudget() : 0,
  ) {}

  /**
   * Watch `pid` for `service`, or stop watching it (undefined). A pid already reported dead for
   * the service is not watched again: a caller still holding it (a stale observation) would
   * otherwise get its death reported again at once, check, set it again, and spin.
   */
  set(service: string, pid: number | undefined): void {
    if ((this.evented.get(service) ?? this.polled.get(service))?.pid === pid) return;
    this.release(service);
    if (pid === this.reported.get(service)) pid = undefined;
    else if (pid !== undefined) this.reported.delete(service);
    if (pid !== undefined && pid > 0 && !this.listen(service, pid)) {
      const fd = this.open < PID_WATCH_MAX_OPEN ? openStat(pid) : undefined;
      if (fd !== undefined) this.open++;
      this.polled.set(service, { pid, fd });
    }
    if (this.polled.size > 0 && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    } else if (this.polled.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Stop the timer, every pidfd watch, and close every file. */
  close(): void {
    for (const service of [...this.polled.keys(), ...this.evented.keys()]) this.set(service, undefined);
    this.reported.clear();
  }

  /** Have the kernel report the death; false when it cannot (the pid is then polled). */
  private listen(service: string, pid: number): boolean {
    if (this.evented.size >= this.maxWatched) return false;
    const handle = this.watchExit?.(pid, () => this.died(service, entry));
    if (handle === undefined || handle === null) return false;
    const entry: Evented = { pid, handle: handle === false ? undefined : handle };
    this.evented.set(service, entry);
    // Already gone: reported from the event loop like any death, never from inside set().
    if (handle === false) setImmediate(() => this.died(service, entry));
    return true;
  }

  /** Report `entry`'s death unless its service was released or set to another pid meanwhile. */
  private died(service: string, entry: Evented): void {
    if (this.evented.get(service) !== entry) return;
    this.evented.delete(service);
    this.report(service, entry.pid);
  }

  private report(service: string, pid: number): void {
    this.reported.set(service, pid);
    this.onDeath(service, pid);
  }

  private release(service: string): void {
    const evented = this.evented.get(service);
    if (evented) {
      evented.handle?.close();
      this.evented.delete(service);
    }
    const polled = this.polled.get(service);
    if (polled) {
      if (polled.fd !== undefined) {
        closeSync(polled.fd);
        this.open--;
      }
      this.polled.delete(service);
    }
  }

  private tick(): void {
    if (this.queue.length === 0) this.queue = [...this.polled.keys()];
    for (const service of this.queue.splice(0, PID_WATCH_BATCH)) {
      const w = this.polled.get(service);
      if (!w || this.alive(w)) continue;
      this.set(service, undefined);
      this.report(service, w.pid);
    }
  }

  private alive(w: Polled): boolean {
    if (w.fd === undefined) return alive(w.pid);
    try {
      return runningState(this.buf.toString('latin1', 0, readSync(w.fd, this.buf, 0, this.buf.length, 0)));
    } catch {
      return false;
    }
  }
}

/** The process's `stat` file opened for re-reading; undefined when it is gone or no fd is left. */
function openStat(pid: number): number | undefined {
  try {
    return openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return undefined;
  }
}

/** True unless the state letter after the command name is Z (zombie) or X (dead). */
function runningState(text: string): boolean {
  const state = text.charAt(text.lastIndexOf(')') + 2);
  return state !== '' && state !== 'Z' && state !== 'X';
}

/** False when the pid is gone or a zombie (one open, read and close of `/proc/PID/stat`). */
export function alive(pid: number): boolean {
  const fd = openStat(pid);
  if (fd === undefined) return false;
  try {
    const buf = Buffer.allocUnsafe(512);
    return runningState(buf.toString('latin1', 0, readSync(fd, buf, 0, 512, null)));
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
