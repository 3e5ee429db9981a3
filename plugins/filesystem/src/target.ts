import { statfsSync, statSync } from 'node:fs';
import { realpath, stat, statfs } from 'node:fs/promises';
import { readProcFile, type ObserveContext, type TokenStream } from '@warden/sdk';
import { ioRates, parseDiskstats, type DiskCounters, type IoRates } from './diskstats.js';
import { findMount, parseMountinfo, type MountEntry } from './mountinfo.js';

/** The header of `check filesystem|device NAME [with] path PATH|"STRING"`. */
export interface FilesystemOptions {
  /** A mount point, a block device or a mount source such as `"server:/export"`. */
  readonly path: string;
}

/** `statfs(2)` of the mounted filesystem, in blocks of `blockSize` bytes. */
export interface SpaceInfo {
  readonly blockSize: number;
  readonly blocks: number;
  /** Free blocks, including those reserved for root. */
  readonly blocksFree: number;
  /** Free blocks an ordinary user may take. */
  readonly blocksAvailable: number;
  readonly inodes: number;
  readonly inodesFree: number;
}

/**
 * What a filesystem service observes once per cycle. `mount` is absent when nothing is
 * mounted at (or from) the path: the service's `Does not exist`. `io` is absent on the
 * first cycle (rates need two samples) and for filesystems without a block device (tmpfs,
 * NFS); `ioMissing` says which.
 */
export interface FilesystemTarget {
  readonly path: string;
  readonly mount?: MountEntry;
  readonly space?: SpaceInfo;
  /** Mode, uid and gid of the mount point. */
  readonly owner?: { readonly mode: number; readonly uid: number; readonly gid: number };
  readonly io?: IoRates;
  readonly ioMissing?: 'first-sample' | 'no-device';
  /** Why the filesystem could not be read, when it is mounted but `statfs` failed. */
  readonly error?: string;
}

/** Kept across cycles: the last I/O sample, for rates. */
export interface FilesystemState {
  last?: { readonly device: string; readonly counters: DiskCounters; readonly at: number };
}

/** Parse `[with] path PATH|"STRING"`. */
export function parseFilesystemTarget(ts: TokenStream): FilesystemOptions {
  ts.expect('path');
  // A quoted string may name a network source (`"server:/export"`), which is no path.
  return { path: ts.peek().kind === 'string' ? ts.string('a path') : ts.path() };
}

/**
 * Filesystems whose server may hang: `statfs` on them goes through the thread pool, so a dead
 * server costs this check a timeout, not the daemon its event loop. Local ones are asked
 * directly (Monit does the same for all): a statfs of a local disk never waits.
 */
const NETWORK_FS = /^(nfs4?|cifs|smb3?|smbfs|ncpfs|afs|ceph|glusterfs|9p|lustre|gpfs|beegfs|ocfs2|gfs2|davfs|fuse(\..*)?)$/;

/**
 * Find the mount, `statfs` it, stat its mount point and sample its device's I/O counters.
 * `/proc/self/mountinfo` and `/proc/diskstats` are read once per cycle for every
 * filesystem service. Never throws for a filesystem that is missing or vanishes. A local
 * filesystem named by its mount point or device answers synchronously.
 */
export function observeFilesystem(ctx: ObserveContext<FilesystemOptions, FilesystemState>): FilesystemTarget | Promise<FilesystemTarget> {
  const { path } = ctx.options;
  const mounts = ctx.cycle.memoSync('filesystem:mountinfo', () => parseMountinfo(readProc('/proc/self/mountinfo')));
  const mount = findMount(mounts, path);
  // A symlink or a path inside the mount: resolve it (through the pool: it may cross a network mount).
  if (!mount) return realpath(path).then((real) => measure(ctx, findMount(mounts, path, real)), () => measure(ctx, undefined));
  return measure(ctx, mount);
}

/** statfs and stat `mount` (directly when local), then sample its I/O counters. */
function measure(ctx: ObserveContext<FilesystemOptions, FilesystemState>, mount: MountEntry | undefined): FilesystemTarget | Promise<FilesystemTarget> {
  const { path } = ctx.options;
  if (!mount) {
    ctx.state.last = undefined;
    return { path };
  }
  if (NETWORK_FS.test(mount.fsType)) {
    return Promise.all([statfs(mount.mountPoint), stat(mount.mountPoint)]).then(
      ([fs, st]) => withIo(ctx, mount, spaceOf(fs), { mode: st.mode, uid: st.uid, gid: st.gid }),
      (err: Error) => gone(ctx, err),
    );
  }
  try {
    // Core's stat (no Stats object); gone meanwhile, Node's stat throws its own ENOENT error.
    const st = ctx.stat(mount.mountPoint) ?? statSync(mount.mountPoint);
    return withIo(ctx, mount, spaceOf(statfsSync(mount.mountPoint)), { mode: st.mode, uid: st.uid, gid: st.gid });
  } catch (err) {
    return gone(ctx, err as Error);
  }
}

/** Unmounted between reading mountinfo and statfs: it is gone for this cycle. */
function gone(ctx: ObserveContext<FilesystemOptions, FilesystemState>, err: Error): FilesystemTarget {
  ctx.state.last = undefined;
  return { path: ctx.options.path, error: err.message };
}

function spaceOf(fs: { bsize: number; blocks: number; bfree: number; bavail: number; files: number; ffree: number }): SpaceInfo {
  return { blockSize: fs.bsize, blocks: fs.blocks, blocksFree: fs.bfree, blocksAvailable: fs.bavail, inodes: fs.files, inodesFree: fs.ffree };
}

function withIo(ctx: ObserveContext<FilesystemOptions, FilesystemState>, mount: MountEntry, space: SpaceInfo, owner: FilesystemTarget['owner']): FilesystemTarget {
  const disks = ctx.cycle.memoSync('filesystem:diskstats', () => parseDiskstats(readProc('/proc/diskstats')));
  const counters = disks.get(mount.device);
  const path = ctx.options.path;
  // Object literals, not `{ ...base, io }`: on Node 20, a property added after a spread gives
  // each copy a map of its own (see `ruleState` in core).
  if (!counters) {
    ctx.state.last = undefined;
    return { path, mount, space, owner, ioMissing: 'no-device' };
  }
  const now = ctx.clock.monotonic();
  const last = ctx.state.last;
  ctx.state.last = { device: mount.device, counters, at: now };
  if (!last || last.device !== mount.device || now <= last.at) return { path, mount, space, owner, ioMissing: 'first-sample' };
  return { path, mount, space, owner, io: ioRates(last.counters, counters, (now - last.at) / 1000) };
}

/**
 * Whether two observations are the same for every test (`sameTarget`): the same mount (source,
 * type, flags), the same statfs figures, the same owner and mode of the mount point, and the
 * same I/O rates, or none for the same reason. A quiet filesystem (a tmpfs, an idle data disk)
 * then lets its rules rest; one being written to moves every cycle.
 */
export function sameFilesystemTarget(a: FilesystemTarget, b: FilesystemTarget): boolean {
  if (a === b) return true;
  return a.path === b.path && a.error === b.error && a.ioMissing === b.ioMissing &&
    sameFields(a.mount, b.mount) && sameFields(a.space, b.space) && sameFields(a.owner, b.owner) && sameFields(a.io, b.io);
}

/** Both absent, or both with the same own fields (flat records of strings and numbers). */
function sameFields<T extends object>(a: T | undefined, b: T | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  for (const key in a) if (a[key] !== b[key]) return false;
  return true;
}

/** A procfs file's text ('' when unreadable: no mounts, no counters); mount points may be UTF-8. */
function readProc(path: string): string {
  return readProcFile(path, 'utf8') ?? '';
}
