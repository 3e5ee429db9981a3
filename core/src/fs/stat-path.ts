import { statSync } from 'node:fs';
import { constants } from 'node:os';
import { nodeDigestSmallFile, nodeStat, type DigestAlgorithm, type DigestSmallFile, type FileStat, type StatPath } from '@warden/sdk';
import { loadAddon, statAddon } from '../paths.js';

/** The native half (core/native/stat.c). */
interface StatAddon {
  /** 0 with the fields in `out`, an errno, or -1 for a path it does not take (Node says why). */
  stat(path: string, out: Float64Array): number;
  /** The paths copied into native memory once, for {@link statBatch}. */
  pathSet(paths: readonly string[]): PathSet;
  /**
   * stat(2) the set's paths `from .. from+count)`; sets `moved[i]` for each whose fields differ
   * from `kept`'s (or failed); with `fds`, also for each whose descriptor's content differs from
   * `contents`' (`fds[i]` -1: none to read; below -1: one needed and missing, always moved).
   */
  statBatch(set: PathSet, from: number, count: number, kept: Float64Array, moved: Uint8Array, fds?: Int32Array, contents?: Uint8Array): void;
  /**
   * The hex digest of a file of at most `SMALL_FILE_BYTES` read whole (algorithm: 0 MD5, 1
   * SHA-1, 2 SHA-256); undefined when it holds more; an errno, or -1 for what it does not take
   * (Node says why).
   */
  digest(path: string, algorithm: number, statSize: number): string | number | undefined;
}

/** Paths held by the addon (an external): none is read out of JavaScript again per batch. */
declare const pathSetBrand: unique symbol;
type PathSet = { readonly [pathSetBrand]: true };

/** The one failure a {@link StatPath} answers with undefined (as `throwIfNoEntry: false`). */
const { ENOENT } = constants.errno;

/**
 * The {@link StatPath} plugins get: stat(2) through core's addon, which writes the fields into
 * one array instead of making a `Stats` object with four Dates per call (~2 µs less a call on
 * Node 20, a sixth of a quiet file check's CPU), or `nodeStat` without the addon (no C compiler
 * at install). Failures other than ENOENT ask Node again, so that what throws is Node's own
 * error, message and code.
 */
export function loadStatPath(addon: StatAddon | Error = loadStatAddon()): StatPath {
  if (addon instanceof Error) return nodeStat;
  const out = new Float64Array(13);
  return (path: string): FileStat | undefined => {
    const code = addon.stat(path, out);
    if (code === ENOENT) return undefined;
    if (code !== 0) return statSync(path, { throwIfNoEntry: false });
    return {
      dev: out[0]!,
      ino: out[1]!,
      mode: out[2]!,
      nlink: out[3]!,
      uid: out[4]!,
      gid: out[5]!,
      size: out[6]!,
      // Node's own arithmetic (msFromTimeSpec), so a time equals fs.Stats' to the last bit.
      atimeMs: out[7]! * 1e3 + out[8]! / 1e6,
      mtimeMs: out[9]! * 1e3 + out[10]! / 1e6,
      ctimeMs: out[11]! * 1e3 + out[12]! / 1e6,
    };
  };
}

/** The addon's number for each digest. */
const DIGEST_IDS: Readonly<Record<DigestAlgorithm, number>> = { md5: 0, sha1: 1, sha256: 2 };

/**
 * The {@link DigestSmallFile} plugins get: open, read, close and OpenSSL's digest in one call
 * of core's addon, instead of Node's four (`openSync`, `readSync`, `closeSync`,
 * `crypto.hash`), each with its argument checks and error context (~0.7 µs less a 4 KiB file,
 * a tenth of a `checksum paranoid` check's CPU besides the hashing), or `nodeDigestSmallFile`
 * without the addon. A failure asks Node again, so that what throws is Node's own error.
 */
export function loadDigestSmallFile(addon: StatAddon | Error = loadStatAddon()): DigestSmallFile {
  if (addon instanceof Error) return nodeDigestSmallFile;
  return (path, algorithm, statSize = -1) => {
    const hex = addon.digest(path, DIGEST_IDS[algorithm], statSize);
    return typeof hex === 'number' ? nodeDigestSmallFile(path, algorithm, statSize) : hex;
  };
}

/** The addon, or why it cannot be loaded. */
export function loadStatAddon(): StatAddon | Error {
  return loadAddon<StatAddon>(statAddon);
}

/** Fields `statBatch` keeps per path. */
const FIELDS = 13;
/** Bytes `statBatch` keeps per descriptor (a 2-byte length, then the content). */
const CONTENT = 512;

/** A slot's descriptor: none to read (its type keeps none). */
export const NO_FD = -1;
/** A slot's descriptor: its type keeps one, but the service has none open now (always moved). */
export const MISSING_FD = -2;

/**
 * Paths stat'ed in batches, each remembered by its slot: whether a path's stat(2) moved in any
 * field since the last time its slot was taken. The scheduler stats the paths of the services
 * next in line in one native call (64 system calls, no JavaScript between them) and lets a
 * resting service whose path did not move skip its type's `observe` (see
 * `ServiceTypeDefinition.statPath`). A flag stays set until its slot is taken, so a service
 * not checked in a cycle (`every N cycles`, unmonitored) still sees the move when it next is.
 * With `descriptors`, a slot may also watch a file its service keeps open (`setFd`), whose
 * content read from offset 0 must stay byte for byte the same (a process's /proc/PID/stat).
 */
export class PathWatch {
  private readonly kept: Float64Array;
  private readonly moved: Uint8Array;
  private readonly fds: Int32Array | undefined;
  private readonly contents: Uint8Array | undefined;
  private readonly set: PathSet;
  private readonly count: number;

  constructor(private readonly addon: StatAddon, paths: readonly string[], descriptors = false) {
    this.set = addon.pathSet(paths);
    this.count = paths.length;
    this.kept = new Float64Array(paths.length * FIELDS).fill(Number.NaN);
    // Every slot starts moved: nothing was observed through it yet.
    this.moved = new Uint8Array(paths.length).fill(1);
    if (descriptors) {
      this.fds = new Int32Array(paths.length).fill(NO_FD);
      // 0xffff: a length no read gives, so the first read of every slot differs.
      this.contents = new Uint8Array(paths.length * CONTENT).fill(0xff);
    }
  }

  get size(): number {
    return this.count;
  }

  /** stat(2) the paths of slots `from .. from+count)` (clamped to the end); the slots stat'ed. */
  refresh(from: number, count: number): number {
    const n = Math.max(0, Math.min(count, this.count - from));
    if (n === 0) return 0;
    if (this.fds === undefined) this.addon.statBatch(this.set, from, n, this.kept, this.moved);
    else this.addon.statBatch(this.set, from, n, this.kept, this.moved, this.fds, this.contents);
    return n;
  }

  /**
   * The descriptor slot `i` watches from now on ({@link NO_FD}, {@link MISSING_FD} or an open
   * one): a different one moves the slot, and its content is read afresh. Needs `descriptors`.
   */
  setFd(i: number, fd: number): void {
    const fds = this.fds!;
    if (fds[i] === fd) return;
    fds[i] = fd;
    this.contents!.fill(0xff, i * CONTENT, i * CONTENT + 2);
    this.moved[i] = 1;
  }

  /** True when slot `i`'s path did not move since the slot was last taken; takes it. */
  take(i: number): boolean {
    const unmoved = this.moved[i] === 0;
    this.moved[i] = 0;
    return unmoved;
  }
}

/** A {@link PathWatch} over `paths` (with descriptors: see there), or undefined without the addon (every check then observes). */
export type WatchPaths = (paths: readonly string[], descriptors?: boolean) => PathWatch;

/** What core builds path watches with, or undefined without the addon. */
export function loadWatchPaths(addon: StatAddon | Error = loadStatAddon()): WatchPaths | undefined {
  if (addon instanceof Error || typeof addon.statBatch !== 'function' || typeof addon.pathSet !== 'function') return undefined;
  return (paths, descriptors) => new PathWatch(addon, paths, descriptors);
}
