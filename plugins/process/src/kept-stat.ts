/**
 * `/proc/PID/stat` of a followed process, kept open and re-read in place: one `pread` a cycle
 * instead of `open`, `read` and `close`, which with thousands of process checks is most of
 * their cost (the kernel looks the pid up again on every open).
 *
 * A kept file answers for one process only: once that process is gone its reads fail (ESRCH),
 * even when its pid has been reused. So a failed read is retried once through the path before
 * the process counts as gone, and the path then finds the new process if there is one.
 *
 * Descriptors kept are bounded by a budget shared by every process service of the daemon;
 * beyond it a look opens and closes the file as before.
 */
import { closeSync, openSync } from 'node:fs';
import { softFdLimit } from '@warden/sdk';
import { preadStat, type ProcStat } from './proc.js';

/**
 * At most this share of the soft `RLIMIT_NOFILE` is kept open by process checks. Core holds up
 * to half of it as pidfds (its pid watch, one per watched process); the last quarter stays for
 * sockets, files and program runs.
 */
export const KEPT_STAT_SHARE = 0.25;

/** A quarter of the soft descriptor limit (Node raises it to the hard limit at start), 256 when unknown. */
export function keptStatLimit(): number {
  const soft = softFdLimit();
  return soft === undefined ? 256 : Math.floor(soft * KEPT_STAT_SHARE);
}

/** How many descriptors may be kept at once; the limit is read when first needed. */
export class FdBudget {
  private used = 0;
  private max: number | undefined;

  constructor(private readonly limit: () => number = keptStatLimit) {}

  /** Descriptors kept now. */
  get held(): number {
    return this.used;
  }

  /** Count one more kept descriptor; false when the budget is spent. */
  take(): boolean {
    this.max ??= this.limit();
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  /** One kept descriptor was closed. */
  give(): void {
    this.used--;
  }
}

/**
 * The daemon's one budget. Descriptors belong to the process, not to one service, so this is
 * the plugin's single piece of shared state: every service's {@link KeptStat} draws on it.
 */
export const keptStatBudget = new FdBudget();

/** One service's kept `/proc/PID/stat` (see the file comment); `close` it when the service goes. */
export class KeptStat {
  private pid = 0;
  private fd: number | undefined;
  /** The last stat read, returned again while nothing in it moves (see {@link KeptStat.same}). */
  private last: ProcStat | undefined;

  constructor(
    private readonly budget: FdBudget = keptStatBudget,
    /** Where a pid's file is (tests stand in another process for a reused pid). */
    private readonly path: (pid: number) => string = (pid) => `/proc/${pid}/stat`,
  ) {}

  /** Whether a descriptor is kept now (for tests). */
  get kept(): boolean {
    return this.fd !== undefined;
  }

  /** The kept descriptor, if any: core's batches read it too (the type's `statFd`). */
  get descriptor(): number | undefined {
    return this.fd;
  }

  /** The `stat` of process `pid`, or undefined when there is none; a new pid lets go of the last file. */
  read(pid: number): ProcStat | undefined {
    if (pid !== this.pid) this.close();
    this.pid = pid;
    if (this.fd !== undefined) {
      const stat = preadStat(this.fd);
      if (stat) return this.same(stat);
      this.release(); // that process is gone; its pid may belong to another one now
    }
    let fd: number;
    try {
      fd = openSync(this.path(pid), 'r');
    } catch {
      return undefined;
    }
    const stat = preadStat(fd);
    if (stat && this.budget.take()) this.fd = fd;
    else closeSync(fd);
    return stat && this.same(stat);
  }

  /**
   * The last stat when `stat` says the same (a sleeping process, cycle after cycle), else
   * `stat`: what a service keeps from one cycle to the next is then not a new object each
   * cycle, which would outlive a scavenge and be collected in old space.
   */
  private same(stat: ProcStat): ProcStat {
    const l = this.last;
    if (l !== undefined && l.pid === stat.pid && l.startTicks === stat.startTicks && l.cpuTicks === stat.cpuTicks && l.rss === stat.rss
      && l.ppid === stat.ppid && l.state === stat.state && l.threads === stat.threads) return l;
    this.last = stat;
    return stat;
  }

  /** Close the kept file, if any. */
  close(): void {
    this.release();
    this.pid = 0;
    this.last = undefined;
  }

  private release(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.budget.give();
  }
}
