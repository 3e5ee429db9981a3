/**
 * Starting a program without Node's fork(2). libuv forks the whole daemon for every child: the
 * kernel copies warden's page tables (~4 ms at 60 MB of touched memory, the event loop stopped
 * all along) only for the child to throw them away at exec. glibc's posix_spawn(3) shares the
 * memory until the exec instead (CLONE_VM | CLONE_VFORK: ~0.26 ms). The native addon
 * (core/native/reaper.c) spawns; this file gives the child the shape of the part of Node's
 * `ChildProcess` the spawner reads: pid, output streams, `exit` and `close`, exit code and signal.
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { claimChild } from '../daemon/reaper.js';

/** The addon's calls (core/native/reaper.c). */
export interface SpawnAddon {
  spawn(path: string, argv: readonly string[], env: readonly string[], cwd: string | null, fds: readonly number[]): readonly number[] | number;
  waitStatus(pid: number): readonly [number, number] | null | -1;
}

/** What the spawner reads of a child, Node's or ours. */
export interface SpawnedChild extends EventEmitter {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
}

/** A standard stream: a descriptor the child takes, or a pipe read here. */
export type NativeStdio = number | 'pipe';

/**
 * The children started here that still run, by pid, and how each is collected. They are
 * looked at on every SIGCHLD (one signal may stand for several exits): no descriptor per
 * child (a thousand jobs under `ulimit -n 1024` must fit), and the same signal Node's own
 * children are reaped on.
 */
const running = new Map<number, () => boolean>();

function onChildSignal(): void {
  for (const [pid, collect] of running) if (collect()) running.delete(pid);
  if (running.size === 0) process.off('SIGCHLD', onChildSignal);
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** A child started by the addon. Emits `exit` (code, signal) once reaped, then `close`. */
class NativeChild extends EventEmitter implements SpawnedChild {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly stdout: Socket | null;
  readonly stderr: Socket | null;
  private open = 0;
  private exited = false;

  constructor(
    readonly pid: number,
    stdoutFd: number,
    stderrFd: number,
  ) {
    super();
    this.stdout = this.pipe(stdoutFd);
    this.stderr = this.pipe(stderrFd);
  }

  private pipe(fd: number): Socket | null {
    if (fd < 0) return null;
    const socket = new Socket({ fd, readable: true, writable: false });
    this.open++;
    socket.once('close', () => {
      this.open--;
      this.maybeClose();
    });
    return socket;
  }

  /** Reaped: `status` is the addon's [code, signal], or -1 when someone else collected it. */
  reaped(status: readonly [number, number] | -1): void {
    if (status !== -1) {
      const [code, signal] = status;
      this.signalCode = signal ? (SIGNAL_NAMES.get(signal) ?? null) : null;
      this.exitCode = signal ? null : code;
    }
    this.exited = true;
    this.emit('exit', this.exitCode, this.signalCode);
    this.maybeClose();
  }

  private maybeClose(): void {
    if (this.exited && this.open === 0) this.emit('close', this.exitCode, this.signalCode);
  }
}

/**
 * Start `argv` (argv[0] an absolute path) through the addon; the child, or the system error
 * that kept it from running (`ENOENT`, `EACCES`, … as Node's spawn reports them).
 */
export function spawnNative(
  addon: SpawnAddon,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string | undefined,
  stdio: readonly [number, NativeStdio, NativeStdio],
): SpawnedChild | NodeJS.ErrnoException {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) pairs.push(`${key}=${value}`);
  const program = argv[0]!;
  const fds = stdio.map((s) => (s === 'pipe' ? -1 : s));
  // Listening before the child exists: its SIGCHLD cannot come before the handler.
  if (running.size === 0) process.on('SIGCHLD', onChildSignal);
  const started = addon.spawn(program, argv, pairs, cwd ?? null, fds);
  if (typeof started === 'number') {
    if (running.size === 0) process.off('SIGCHLD', onChildSignal);
    const code = Object.entries(constants.errno).find(([, n]) => n === -started)?.[0] ?? 'EINVAL';
    return Object.assign(new Error(`spawn ${program} ${code}`), { errno: started, code, syscall: `spawn ${program}`, path: program });
  }
  const [pid, stdoutFd, stderrFd] = started as [number, number, number];
  // As PID 1, warden's orphan reaper must leave this child's exit status to us.
  const unclaim = claimChild(pid);
  const child = new NativeChild(pid, stdoutFd, stderrFd);
  // The handler runs on a later turn of the loop than this one: the child is in the map by then.
  running.set(pid, () => {
    const status = addon.waitStatus(pid);
    if (status === null) return false;
    unclaim();
    child.reaped(status);
    return true;
  });
  return child;
}

/** Whether the strings can go to the addon (C strings end at a NUL byte; Node's spawn refuses them). */
export function nulFree(strings: Iterable<string | undefined>): boolean {
  for (const s of strings) if (s?.includes('\0')) return false;
  return true;
}
