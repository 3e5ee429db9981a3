import { readFile, realpath, stat, statfs } from 'node:fs/promises';
import type { ObserveContext, TokenStream } from '@warden/sdk';
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
 * Find the mount, `statfs` it, stat its mount point and sample its device's I/O counters.
 * `/proc/self/mountinfo` and `/proc/diskstats` are read once per cycle for every
 * filesystem service. Never throws for a filesystem that is missing or vanishes.
 */
export async function observeFilesystem(ctx: ObserveContext<FilesystemOptions, FilesystemState>): Promise<FilesystemTarget> {
  const { path } = ctx.options;
  const { signal } = ctx;
  const mounts = await ctx.cycle.memo('filesystem:mountinfo', async () =>
    parseMountinfo(await readFile('/proc/self/mountinfo', { encoding: 'utf8', signal })),
  );
  const real = await realpath(path).catch(() => undefined);
  const mount = findMount(mounts, path, real);
  if (!mount) {
    ctx.state.last = undefined;
    return { path };
  }
  let space: SpaceInfo;
  let owner: FilesystemTarget['owner'];
  try {
    const [fs, st] = await Promise.all([statfs(mount.mountPoint), stat(mount.mountPoint)]);
    space = { blockSize: fs.bsize, blocks: fs.blocks, blocksFree: fs.bfree, blocksAvailable: fs.bavail, inodes: fs.files, inodesFree: fs.ffree };
    owner = { mode: st.mode, uid: st.uid, gid: st.gid };
  } catch (err) {
    // Unmounted between reading mountinfo and statfs: it is gone for this cycle.
    ctx.state.last = undefined;
    return { path, error: (err as Error).message };
  }
  const disks = await ctx.cycle.memo('filesystem:diskstats', async () =>
    parseDiskstats(await readFile('/proc/diskstats', { encoding: 'utf8', signal }).catch(() => '')),
  );
  const counters = disks.get(mount.device);
  const base = { path, mount, space, owner };
  if (!counters) {
    ctx.state.last = undefined;
    return { ...base, ioMissing: 'no-device' };
  }
  const now = ctx.clock.monotonic();
  const last = ctx.state.last;
  ctx.state.last = { device: mount.device, counters, at: now };
  if (!last || last.device !== mount.device || now <= last.at) return { ...base, ioMissing: 'first-sample' };
  return { ...base, io: ioRates(last.counters, counters, (now - last.at) / 1000) };
}
