import { constants } from 'node:fs';
import { skipped, type FileStat, type ObserveContext, type ProbeResult, type TokenStream } from '@warden/sdk';

/** The header of `check file|fifo|directory NAME [with] path PATH`. */
export interface PathOptions {
  readonly path: string;
}

/** What kind of object a path names, as far as these checks care. */
export type PathKind = 'file' | 'directory' | 'fifo' | 'socket' | 'other';

/** The parts of `stat(2)` the file tests look at, with the object's kind spelled out. */
export interface PathStat extends Pick<FileStat, 'mode' | 'uid' | 'gid' | 'size' | 'atimeMs' | 'mtimeMs' | 'ctimeMs' | 'ino'> {
  readonly kind: PathKind;
}

/**
 * What a path service observes once per cycle: the stat of the path (symlinks followed,
 * as Monit does), or `null` when it cannot be stat'ed. `error` is set for any failure
 * other than the path being absent (`EACCES`, `ELOOP`, …).
 */
export interface PathTarget {
  readonly path: string;
  readonly stat: PathStat | null;
  readonly error?: string;
}

/** Parse `[with] path PATH`; `with` is a noise word and a relative path is a syntax error. */
export function parsePathTarget(ts: TokenStream): PathOptions {
  ts.expect('path');
  return { path: ts.path() };
}

/** What a path service keeps between cycles: the last target it saw of an existing path. */
export interface PathState {
  last: PathTarget | undefined;
}

/** A new path service's state: nothing seen yet. */
export function initPathState(): PathState {
  return { last: undefined };
}

/**
 * Stat the service's path; never throws for a path that is missing or unreadable. While no
 * field of the stat moves (a quiet file, cycle after cycle), the last target is handed back:
 * core compares it by identity, and no new object is made per file and cycle.
 */
export function observePath(ctx: ObserveContext<PathOptions, PathState | undefined>): PathTarget {
  const { path } = ctx.options;
  const kept = ctx.state;
  try {
    // Synchronous on purpose: a local stat costs microseconds, while the promise API costs
    // ~45 µs of thread-pool round trip per service and cycle (5000 files: a quarter of the CPU).
    // Returned as is, not in a promise, so the whole check of a quiet file stays synchronous.
    // Core's stat, not fs.statSync: no Stats object per file and cycle (core/native/stat.c).
    const st = ctx.stat(path);
    if (!st) return { path, stat: null };
    const last = kept?.last;
    if (last !== undefined && last.stat !== null && statIsSame(last.stat, st)) return last;
    const target = { path, stat: toPathStat(st) };
    if (kept) kept.last = target;
    return target;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path, stat: null };
    return { path, stat: null, error: (err as Error).message };
  }
}

const { S_IFMT, S_IFREG, S_IFDIR, S_IFIFO, S_IFSOCK } = constants;

/**
 * Keep the fields the tests use, with the object's kind spelled out (read from the mode bits,
 * as `isFile()` and friends do, without their calls: this runs for every file every cycle).
 */
export function toPathStat(st: FileStat): PathStat {
  const type = st.mode & S_IFMT;
  const kind: PathKind = type === S_IFREG ? 'file' : type === S_IFDIR ? 'directory' : type === S_IFIFO ? 'fifo' : type === S_IFSOCK ? 'socket' : 'other';
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atimeMs: st.atimeMs,
    mtimeMs: st.mtimeMs,
    ctimeMs: st.ctimeMs,
    ino: st.ino,
    kind,
  };
}

/** The fields of a stat the tests read, as `PathStat` and node's `Stats` both name them. */
type StatFields = Pick<PathStat, 'mode' | 'uid' | 'gid' | 'size' | 'atimeMs' | 'mtimeMs' | 'ctimeMs' | 'ino'>;

/** True when no field the tests read moved between two stats (the kind is in the mode). */
function statIsSame(s: StatFields, t: StatFields): boolean {
  return s.mtimeMs === t.mtimeMs && s.ctimeMs === t.ctimeMs && s.size === t.size && s.ino === t.ino && s.mode === t.mode
    && s.atimeMs === t.atimeMs && s.uid === t.uid && s.gid === t.gid;
}

/** True when two observations of a path are the same: no field of its stat moved. */
export function samePathTarget(a: PathTarget, b: PathTarget): boolean {
  if (a === b) return true;
  if (a.path !== b.path || a.error !== b.error) return false;
  const s = a.stat;
  const t = b.stat;
  if (s === null || t === null) return s === t;
  return statIsSame(s, t);
}

/** True when `kind` is what a service of type `serviceType` watches (Monit's `check file` takes sockets too). */
export function kindFits(serviceType: string, kind: PathKind): boolean {
  if (serviceType === 'file') return kind === 'file' || kind === 'socket';
  return kind === serviceType;
}

/**
 * The stat a test may judge, or the `skipped` result when there is none: a missing path
 * is the existence test's event and a path of the wrong kind the type test's, so every
 * other test stays quiet then, as Monit stops checking a service at either.
 */
export function presentStat(target: PathTarget, serviceType: string): PathStat | ProbeResult {
  if (target.stat === null) return skipped(`${serviceType} doesn't exist`);
  if (!kindFits(serviceType, target.stat.kind)) return skipped(`${serviceType} has an invalid type`);
  return target.stat;
}

/** Tells a {@link presentStat} result that is a stat from one that is a result. */
export function isStat(value: PathStat | ProbeResult): value is PathStat {
  return 'kind' in value && 'ino' in value;
}
