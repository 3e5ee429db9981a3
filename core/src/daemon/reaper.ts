import { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from '@warden/sdk';
import type { ExitWatcher } from '../engine/pid-watch.js';
import type { SpawnAddon } from '../exec/native-spawn.js';
import { loadAddon, reaperAddon } from '../paths.js';

/** The native half (core/native/reaper.c): `waitpid(pid, WNOHANG)`, pidfd exit watches, posix_spawn. */
interface ReaperAddon extends Partial<SpawnAddon> {
  reap(pid: number): number;
  /** Absent from an addon built before it was added (rebuilt by `node core/native/build.mjs`). */
  watchExit?: ExitWatcher;
}

/** A running orphan reaper. */
export interface Reaper {
  /** Orphans collected so far. */
  readonly reaped: number;
  /** Collect what has exited now (also runs on every SIGCHLD). */
  sweep(): void;
  stop(): void;
}

const BACKSTOP_MS = 5000;

/** Children spawned through the addon (exec/native-spawn.ts), reaped where they were spawned. */
const claimed = new Set<number>();

/** Leave `pid`'s exit status to its spawner until the returned release is called. */
export function claimChild(pid: number): () => void {
  claimed.add(pid);
  return () => claimed.delete(pid);
}

/** The addon, or the reason it cannot be loaded. */
export function loadReaperAddon(): ReaperAddon | Error {
  return loadAddon<ReaperAddon>(reaperAddon);
}

/**
 * The addon's pidfd exit watch for the scheduler's pid watch, or undefined without the addon
 * (no C compiler at install, not Linux): the pid watch then polls /proc.
 */
export function loadExitWatcher(addon: ReaperAddon | Error = loadReaperAddon()): ExitWatcher | undefined {
  return addon instanceof Error ? undefined : addon.watchExit;
}

/** The addon's posix_spawn for the spawner, or undefined without the addon (or an old build of it). */
export function loadSpawnAddon(addon: ReaperAddon | Error = loadReaperAddon()): SpawnAddon | undefined {
  if (addon instanceof Error || !addon.spawn || !addon.waitStatus) return undefined;
  return addon as SpawnAddon;
}

/**
 * As PID 1 (a container's init, `unshare --pid`), the kernel hands warden every orphan of the
 * namespace, and only a wait call removes a zombie. Node never calls `waitpid(-1)`: libuv
 * waits for the pids it spawned, one by one. So warden reaps the other zombie children itself,
 * found in /proc, skipping every pid Node spawned (and those the spawner started through the
 * addon, which `claimChild` lists) — reaping one of those would steal its exit
 * status from libuv and its `exit` event would never come. Node's pids are recorded by
 * wrapping `ChildProcess.prototype.spawn`, which every child_process call goes through.
 * Returns undefined, after logging why, when the native addon is missing.
 */
export function startReaper(log: Logger, addon: ReaperAddon | Error = loadReaperAddon()): Reaper | undefined {
  if (addon instanceof Error) {
    log.warning(`Running as PID 1 without the reaper addon (${addon.message}): orphaned processes will stay zombies; rebuild it with 'node core/native/build.mjs' or run warden under tini`);
    return undefined;
  }
  const own = new Set<number>();
  // `spawn` on the prototype is Node's own (lib/internal/child_process.js), absent from the types.
  const proto = ChildProcess.prototype as unknown as { spawn: (this: ChildProcess, ...args: unknown[]) => unknown };
  const original = proto.spawn;
  proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
    const result = original.apply(this, args);
    const pid = this.pid;
    if (pid !== undefined) {
      own.add(pid);
      this.once('exit', () => own.delete(pid));
    }
    return result;
  };
  let reaped = 0;
  let queued = false;
  const sweep = (): void => {
    queued = false;
    for (const pid of zombieChildren(process.pid)) {
      if (own.has(pid) || claimed.has(pid)) continue;
      if (addon.reap(pid) === pid) {
        reaped++;
        log.debug(`Reaped orphaned process ${pid}`);
      }
    }
  };
  const onChild = (): void => {
    if (queued) return;
    queued = true;
    // Several children exiting together raise one sweep, after libuv has reaped its own.
    setImmediate(sweep);
  };
  process.on('SIGCHLD', onChild);
  // A SIGCHLD can coalesce with one for a child of Node's: the timer catches what it hid.
  const timer = setInterval(sweep, BACKSTOP_MS).unref();
  return {
    get reaped() {
      return reaped;
    },
    sweep,
    stop() {
      process.off('SIGCHLD', onChild);
      clearInterval(timer);
      proto.spawn = original;
    },
  };
}

/** Pids of the zombies whose parent is `ppid`, from /proc/PID/stat. */
function zombieChildren(ppid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // Gone between the listing and the read.
    }
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' && Number(parent) === ppid) found.push(Number(name));
  }
  return found;
}
