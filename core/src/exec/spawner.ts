/**
 * The one audited place that starts programs: no shell, uid and gid together, a bounded copy of
 * the output, TERM then KILL to the whole process group on timeout or abort, and a result for
 * every outcome (a program that cannot start resolves with `spawnError`, never rejects).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { isAbsolute } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SpawnedProcess, SpawnResult, SpawnSpec, Spawner, StartSpec } from '@warden/sdk';
import { loadSpawnAddon } from '../daemon/reaper.js';
import { nulFree, spawnNative, type SpawnAddon, type SpawnedChild } from './native-spawn.js';
import { lookupUid, type PasswdEntry } from './passwd.js';
import { BoundedBuffer, forEachLine, joinOutput } from './output.js';
import { describeSystemError } from './system-error.js';

export { buildEventEnv, formatEventDate, type EventEnvInfo } from './event-env.js';

/** Monit's programOutput limit, per stream. */
export const DEFAULT_OUTPUT_LIMIT = 512;

/** Tuning and seams; the defaults suit the daemon. */
export interface ProcessSpawnerOptions {
  /** Between SIGTERM and SIGKILL. */
  readonly killGraceMs?: number;
  /**
   * How long to keep reading after the program exited while something it left running still
   * holds its output pipes (a start script that backgrounds the daemon).
   */
  readonly drainMs?: number;
  /** Finds the primary group, home and name for a uid. */
  readonly lookupUid?: (uid: number) => PasswdEntry | undefined;
  /**
   * posix_spawn (the native addon's; `false`: Node's spawn for everything), used when the
   * program is an absolute path and no uid or gid is asked for. Node forks the whole daemon
   * for each child, the event loop stopped while the kernel copies its page tables: 4 ms at
   * 45 MB of RSS, 12 ms at 140 MB; posix_spawn takes 0.6–1.1 ms whatever the size.
   */
  readonly native?: SpawnAddon | false;
}

export type { StartSpec } from '@warden/sdk';

/** Standard input, output and error: a descriptor the child takes, a pipe, or nothing. */
type Stdio = [number | 'ignore', number | 'pipe', number | 'pipe'];

interface Identity {
  readonly uid?: number;
  readonly gid?: number;
  readonly env: Record<string, string>;
}

/** Starts programs for actions, program checks and supervised jobs. */
export class ProcessSpawner implements Spawner {
  private readonly killGraceMs: number;
  private readonly drainMs: number;
  private readonly lookupUid: (uid: number) => PasswdEntry | undefined;
  private readonly native: SpawnAddon | undefined;

  // A defaulted parameter keeps `constructor.length` at 0, so a container can build it bare.
  constructor(options: ProcessSpawnerOptions = {}) {
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.drainMs = options.drainMs ?? 500;
    this.lookupUid = options.lookupUid ?? ((uid) => lookupUid(uid));
    this.native = options.native === false ? undefined : (options.native ?? loadSpawnAddon());
  }

  run(spec: SpawnSpec): Promise<SpawnResult> {
    const started = performance.now();
    const program = spec.argv[0];
    const refuse = (spawnError: string): Promise<SpawnResult> =>
      Promise.resolve(emptyResult(spawnError, performance.now() - started));

    if (!program) return refuse('cannot execute an empty command');
    if (spec.signal?.aborted) return refuse(`'${program}' not started -- aborted`);
    const identity = this.identity(spec, program);
    if (typeof identity === 'string') return refuse(identity);
    if (spec.cwd !== undefined) {
      try {
        if (!statSync(spec.cwd).isDirectory()) return refuse(`cannot change to directory '${spec.cwd}' -- Not a directory`);
      } catch (err) {
        return refuse(`cannot change to directory '${spec.cwd}' -- ${describeSystemError(err)}`);
      }
    }

    const child = this.launch(spec, identity, ['ignore', 'pipe', 'pipe']);
    if (child instanceof Error) return refuse(`cannot execute '${program}' -- ${describeSystemError(child)}`);
    return this.supervise(child, spec, program, started);
  }

  /**
   * Start a long-running program (a supervised job) and return at once. Like `run`: no
   * shell, its own process group, uid and gid together. `stdinFile` is opened for reading
   * (default `/dev/null`), `stdoutFile`/`stderrFile` for appending (mode 0644, created);
   * without them output is kept bounded for the result. `exited` settles on the child's
   * exit event (not on its pipes closing), so a supervisor can restart it at once.
   */
  start(spec: StartSpec): SpawnedProcess {
    const started = performance.now();
    const program = spec.argv[0];
    const gone = (spawnError: string): SpawnedProcess => ({
      pid: undefined,
      exited: Promise.resolve(emptyResult(spawnError, performance.now() - started)),
      kill: () => false,
    });
    if (!program) return gone('cannot execute an empty command');
    if (spec.signal?.aborted) return gone(`'${program}' not started -- aborted`);
    const identity = this.identity(spec, program);
    if (typeof identity === 'string') return gone(identity);
    const fds: number[] = [];
    const open = (path: string, flags: string): number => {
      const fd = openSync(path, flags, 0o644);
      fds.push(fd);
      return fd;
    };
    const closeAll = () => {
      for (const fd of fds.splice(0)) closeSync(fd);
    };
    let stdio: Stdio;
    try {
      stdio = [
        spec.stdinFile !== undefined ? open(spec.stdinFile, 'r') : 'ignore',
        spec.stdoutFile !== undefined ? open(spec.stdoutFile, 'a') : 'pipe',
        spec.stderrFile !== undefined ? open(spec.stderrFile, 'a') : 'pipe',
      ];
    } catch (err) {
      closeAll();
      const e = err as NodeJS.ErrnoException;
      return gone(`cannot open '${e.path ?? ''}' -- ${describeSystemError(err)}`);
    }
    const child = this.launch(spec, identity, stdio);
    // The child has its own copies of the descriptors now.
    closeAll();
    if (child instanceof Error) return gone(`cannot execute '${program}' -- ${describeSystemError(child)}`);
    return this.track(child, spec, program, started);
  }

  /**
   * Start `spec.argv[0]` with these standard streams, in its own session and process group (a
   * timeout reaches what it forked, and a Ctrl-C to the daemon does not reach the services it
   * started): through posix_spawn when it can, else Node's spawn. The child, or why it could
   * not start.
   */
  private launch(spec: SpawnSpec, identity: Identity, stdio: Stdio): SpawnedChild | Error {
    const env = { ...process.env, ...identity.env, ...spec.env };
    const native = this.nativeFor(spec, identity, env);
    let devNull: number | undefined;
    try {
      if (native) {
        // posix_spawn takes descriptors only: 'ignore' is /dev/null, as Node makes it.
        if (stdio[0] === 'ignore') devNull = openSync('/dev/null', 'r');
        const child = spawnNative(native, spec.argv, env, spec.cwd, [devNull ?? (stdio[0] as number), stdio[1], stdio[2]]);
        // A script without `#!`: Node's spawn (execvp) runs it with /bin/sh; posix_spawn refuses it.
        if (!(child instanceof Error) || child.errno !== -constants.errno.ENOEXEC) return child;
      }
      return spawn(spec.argv[0]!, spec.argv.slice(1), {
        ...(identity.uid !== undefined && { uid: identity.uid }),
        ...(identity.gid !== undefined && { gid: identity.gid }),
        env,
        ...(spec.cwd !== undefined && { cwd: spec.cwd }),
        stdio,
        detached: true,
      });
    } catch (err) {
      return err as Error;
    } finally {
      if (devNull !== undefined) closeSync(devNull);
    }
  }

  /**
   * The addon's posix_spawn when it can start this program: an absolute path, no other uid or
   * gid (posix_spawn has no setuid; Node's spawn does that), no NUL byte in any string.
   */
  private nativeFor(spec: SpawnSpec, identity: Identity, env: Readonly<Record<string, string | undefined>>): SpawnAddon | undefined {
    if (!this.native || identity.uid !== undefined || identity.gid !== undefined || !isAbsolute(spec.argv[0] ?? '')) return undefined;
    return nulFree([...spec.argv, spec.cwd, ...Object.keys(env), ...Object.values(env)]) ? this.native : undefined;
  }

  private track(child: SpawnedChild, spec: StartSpec, program: string, started: number): SpawnedProcess {
    const limit = Math.max(0, spec.outputLimit ?? DEFAULT_OUTPUT_LIMIT);
    const stdout = new BoundedBuffer(limit);
    const stderr = new BoundedBuffer(limit);
    child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
    const onOutput = spec.onOutput;
    if (onOutput) {
      if (child.stdout) forEachLine(child.stdout, (line) => onOutput('stdout', line));
      if (child.stderr) forEachLine(child.stderr, (line) => onOutput('stderr', line));
    }
    let exited = false;
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    const kill = (signal: NodeJS.Signals = 'SIGTERM'): boolean => {
      if (exited || child.pid === undefined) return false;
      try {
        process.kill(-child.pid, signal);
        return true;
      } catch {
        return false;
      }
    };
    const terminate = (): void => {
      if (kill('SIGTERM')) timers.push(setTimeout(() => kill('SIGKILL'), this.killGraceMs));
    };
    if (spec.timeoutMs !== undefined) {
      timers.push(setTimeout(() => {
        timedOut = true;
        terminate();
      }, Math.max(0, spec.timeoutMs)));
    }
    spec.signal?.addEventListener('abort', terminate, { once: true });
    const result = new Promise<SpawnResult>((resolve) => {
      let spawnError: string | undefined;
      const finish = (): void => {
        if (exited) return;
        exited = true;
        for (const t of timers) clearTimeout(t);
        spec.signal?.removeEventListener('abort', terminate);
        // Read what is already in the pipes, then stop: what it left running may hold them for good.
        if (child.stdout || child.stderr) {
          setTimeout(() => {
            child.stdout?.destroy();
            child.stderr?.destroy();
          }, this.drainMs).unref();
        }
        resolve(resultOf(child, stdout.text(), stderr.text(), timedOut, spawnError, started));
      };
      child.on('error', (err) => {
        if (child.pid !== undefined || exited) return;
        spawnError = `cannot execute '${program}' -- ${describeSystemError(err)}`;
        finish();
      });
      child.on('exit', finish);
    });
    return { pid: child.pid, exited: result, kill };
  }

  /** Both ids whenever either is asked for, plus the target user's HOME, USER and LOGNAME. */
  private identity(spec: SpawnSpec, program: string): Identity | string {
    if (spec.uid === undefined && spec.gid === undefined) return { env: {} };
    if (spec.uid === undefined) return { uid: process.getuid?.() ?? 0, gid: spec.gid!, env: {} };
    const user = this.lookupUid(spec.uid);
    const gid = spec.gid ?? user?.gid;
    // Without a gid the child would keep the daemon's (root's) group.
    if (gid === undefined) return `cannot run '${program}' as uid ${spec.uid} -- no such user in /etc/passwd to take the group from`;
    const env: Record<string, string> = user ? { HOME: user.home, USER: user.name, LOGNAME: user.name } : {};
    return { uid: spec.uid, gid, env };
  }

  private supervise(child: SpawnedChild, spec: SpawnSpec, program: string, started: number): Promise<SpawnResult> {
    const limit = Math.max(0, spec.outputLimit ?? DEFAULT_OUTPUT_LIMIT);
    const stdout = new BoundedBuffer(limit);
    const stderr = new BoundedBuffer(limit);
    child.stdout!.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.add(chunk));

    let spawnError: string | undefined;
    let exited = false;
    let timedOut = false;
    let terminating = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the whole group is already gone.
      }
    };
    const terminate = (): void => {
      if (terminating || exited || child.pid === undefined) return;
      terminating = true;
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), this.killGraceMs));
    };
    const onAbort = (): void => terminate();

    if (spec.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          if (exited) return;
          timedOut = true;
          terminate();
        }, Math.max(0, spec.timeoutMs)),
      );
    }
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    return new Promise((resolve) => {
      child.on('error', (err) => {
        if (child.pid === undefined) spawnError = `cannot execute '${program}' -- ${describeSystemError(err)}`;
      });
      child.on('exit', () => {
        exited = true;
        // Whatever the program left behind may hold the pipes open for good: read what is
        // already there, then stop listening so 'close' comes.
        timers.push(
          setTimeout(() => {
            child.stdout!.destroy();
            child.stderr!.destroy();
          }, this.drainMs),
        );
      });
      // 'close' comes after 'exit' (the child is reaped) and after both pipes closed.
      child.on('close', () => {
        for (const t of timers) clearTimeout(t);
        // What the group leader left behind after a TERM it survived must not outlive it.
        if (terminating) killGroup('SIGKILL');
        spec.signal?.removeEventListener('abort', onAbort);
        resolve(resultOf(child, stdout.text(), stderr.text(), timedOut, spawnError, started));
      });
    });
  }
}

/** How a child ended, with its kept output (stderr first, as Monit shows it). */
function resultOf(child: SpawnedChild, out: string, err: string, timedOut: boolean, spawnError: string | undefined, started: number): SpawnResult {
  return {
    pid: child.pid,
    status: spawnError === undefined ? child.exitCode : null,
    signal: child.signalCode,
    stdout: out,
    stderr: err,
    output: joinOutput(err, out),
    timedOut,
    ...(spawnError !== undefined && { spawnError }),
    durationMs: performance.now() - started,
  };
}

function emptyResult(spawnError: string, durationMs: number): SpawnResult {
  return { pid: undefined, status: null, signal: null, stdout: '', stderr: '', output: '', timedOut: false, spawnError, durationMs };
}
