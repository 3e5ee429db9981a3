import { closeSync, openSync, readSync } from 'node:fs';

/** How often the watched pids are looked at. */
export const PID_WATCH_INTERVAL_MS = 10;
/** At most this many pids per tick, round robin: the cost stays bounded with thousands of checks. */
export const PID_WATCH_BATCH = 16;
/** Files kept open at most: beyond, a look opens and closes the file (the daemon needs fds too). */
export const PID_WATCH_MAX_OPEN = 256;

/** One watched process: its pid and, when it could be opened, its `/proc/PID/stat` kept open. */
interface Watched {
  readonly pid: number;
  readonly fd: number | undefined;
}

/**
 * Watches the pids of monitored processes between cycles, so a death is checked at once
 * (Monit only sees it at the next cycle, reference R4). One timer for all services; each tick
 * reads the `/proc/PID/stat` of at most {@link PID_WATCH_BATCH} watched pids, round robin.
 * The file is opened once and re-read in place (one `pread` per look): once the process is
 * gone the read fails even if its pid was reused. A zombie is dead too: it never runs again,
 * and init may take seconds to reap it.
 */
export class PidWatch {
  private readonly watched = new Map<string, Watched>();
  private queue: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly buf = Buffer.allocUnsafe(512);
  private open = 0;

  constructor(
    /** Called once per death, after the service's pid was dropped from the watch. */
    private readonly onDeath: (service: string, pid: number) => void,
    private readonly intervalMs = PID_WATCH_INTERVAL_MS,
  ) {}

  /** Watch `pid` for `service`, or stop watching it (undefined). */
  set(service: string, pid: number | undefined): void {
    const old = this.watched.get(service);
    if (old && old.pid === pid) return;
    if (old) {
      if (old.fd !== undefined) {
        closeSync(old.fd);
        this.open--;
      }
      this.watched.delete(service);
    }
    if (pid !== undefined && pid > 0) {
      const fd = this.open < PID_WATCH_MAX_OPEN ? openStat(pid) : undefined;
      if (fd !== undefined) this.open++;
      this.watched.set(service, { pid, fd });
    }
    if (this.watched.size > 0 && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    } else if (this.watched.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Stop the timer and close every file. */
  close(): void {
    for (const service of [...this.watched.keys()]) this.set(service, undefined);
  }

  private tick(): void {
    if (this.queue.length === 0) this.queue = [...this.watched.keys()];
    for (const service of this.queue.splice(0, PID_WATCH_BATCH)) {
      const w = this.watched.get(service);
      if (!w || this.alive(w)) continue;
      this.set(service, undefined);
      this.onDeath(service, w.pid);
    }
  }

  private alive(w: Watched): boolean {
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
