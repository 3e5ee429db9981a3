/**
 * Reading the pidfile of a `check process … with pidfile`: once per cycle, like Monit, but
 * its content only when the file may have changed. A `stat` is one system call where reading
 * is three (open, read, close), and pidfiles change only when their process is restarted.
 */
import { nodeStat, type FileStat, type StatPath } from '@warden/sdk';
import { readSmall } from './proc.js';

/** The pid a pidfile names, or why it names none. */
export interface PidfileContent {
  readonly pid?: number;
  readonly reason?: string;
}

/** The pid a pidfile names, or why it names none. */
export function readPidfile(path: string): PidfileContent {
  const text = readSmall(path, 64);
  if (text === undefined) return { reason: `pidfile '${path}' does not exist` };
  const m = /^\s*(\d{1,10})\s*$/.exec(text);
  const pid = m ? Number(m[1]) : NaN;
  if (!(pid > 0 && pid <= 4_194_304)) return { reason: `pidfile '${path}' does not contain a valid pid` };
  return { pid };
}

/**
 * A file's times come from the kernel's coarse clock (one tick, up to 10 ms, behind): a write
 * just after a read could leave them unchanged. Content read while the file's last change was
 * less than this long ago is read again next time (git's "racily clean" files).
 */
export const SETTLE_MS = 1000;

/** What the file looked like when its content was last read. */
interface Seen {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** The content, marked as not read this time. */
  readonly content: PidfileContent & { readonly cached: true };
}

/** One service's pidfile: its content, read again only when `stat` says the file moved. */
export class PidfileCache {
  private seen: Seen | undefined;

  /** `now` is the wall clock the file system stamps files with (tests put it ahead). */
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * What the pidfile names now. `cached` says the content was not read this time: the caller
   * reads it again ({@link reread}) before calling a process gone, in case the file changed
   * without its times showing it (a file system that does not keep them). `stat` is the
   * observe context's (core's, cheaper than `fs.statSync`).
   */
  read(path: string, stat: StatPath = nodeStat): PidfileContent & { readonly cached?: boolean } {
    let st: FileStat | undefined;
    try {
      st = stat(path);
      if (!st) {
        this.seen = undefined;
        return { reason: `pidfile '${path}' does not exist` };
      }
    } catch {
      st = undefined; // unreadable (EACCES, ENOTDIR…): the read below says so
    }
    const seen = this.seen;
    if (st && seen && st.ino === seen.ino && st.dev === seen.dev && st.size === seen.size && st.mtimeMs === seen.mtimeMs && st.ctimeMs === seen.ctimeMs) {
      return seen.content;
    }
    this.seen = undefined;
    const now = this.now();
    const content = readPidfile(path);
    // Stat before read: a write in between changes the times, so the next look reads again.
    if (st && st.ctimeMs < now - SETTLE_MS) this.seen = { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, content: cachedCopy(content) };
    return content;
  }

  /** Read the content whatever the file looks like (and forget what was seen). */
  reread(path: string): PidfileContent {
    this.seen = undefined;
    return readPidfile(path);
  }
}

/**
 * `content` marked as kept, as a literal: `{ ...content, cached: true }` would give every
 * service's copy a map of its own on Node 20 (a property added after a spread), and reading
 * `pid` from thousands of them each cycle missed V8's stub cache every time.
 */
function cachedCopy(content: PidfileContent): Seen['content'] {
  return content.pid !== undefined ? { pid: content.pid, cached: true } : { reason: content.reason, cached: true };
}
