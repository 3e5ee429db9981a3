import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SpawnResult, SpawnSpec, Spawner } from '../context.js';

/** How long to keep reading after the program exited while a descendant still holds its pipes. */
const DRAIN_MS = 100;

/**
 * A real spawner for tests, mirroring the `run` contract of core's audited one: argv without a
 * shell, uid and gid together (a uid alone takes its primary group from /etc/passwd), at most
 * `outputLimit` bytes (default 512) of each stream, `output` = stderr then stdout, the whole
 * process group killed at the timeout or on abort, and a result for every outcome (never rejects).
 */
export const testSpawner: Spawner = {
  run(spec: SpawnSpec): Promise<SpawnResult> {
    const started = performance.now();
    const program = spec.argv[0];
    const refuse = (spawnError: string): Promise<SpawnResult> =>
      Promise.resolve({ pid: undefined, status: null, signal: null, stdout: '', stderr: '', output: '', timedOut: false, spawnError, durationMs: performance.now() - started });
    if (!program) return refuse('cannot execute an empty command');
    if (spec.signal?.aborted) return refuse(`'${program}' not started -- aborted`);
    const ids = identity(spec);
    if (ids === undefined) return refuse(`cannot run '${program}' as uid ${spec.uid} -- no such user in /etc/passwd to take the group from`);
    let child: ChildProcess;
    try {
      child = spawn(program, spec.argv.slice(1), {
        env: { ...process.env, ...spec.env },
        ...(spec.cwd !== undefined && { cwd: spec.cwd }),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a kill reaches what it forked.
        detached: true,
        ...ids,
      });
    } catch (err) {
      return refuse(`cannot execute '${program}' -- ${(err as Error).message}`);
    }
    return supervise(child, spec, program, started);
  },
};

function supervise(child: ChildProcess, spec: SpawnSpec, program: string, started: number): Promise<SpawnResult> {
  const limit = Math.max(0, spec.outputLimit ?? 512);
  const stdout = bounded(limit);
  const stderr = bounded(limit);
  child.stdout!.on('data', stdout.add);
  child.stderr!.on('data', stderr.add);
  let timedOut = false;
  let spawnError: string | undefined;
  const timers: NodeJS.Timeout[] = [];
  const killGroup = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  if (spec.timeoutMs !== undefined) {
    timers.push(setTimeout(() => {
      timedOut = true;
      killGroup();
    }, Math.max(0, spec.timeoutMs)));
  }
  spec.signal?.addEventListener('abort', killGroup, { once: true });
  return new Promise((resolve) => {
    child.on('error', (err) => {
      if (child.pid === undefined) spawnError = `cannot execute '${program}' -- ${err.message}`;
    });
    child.on('exit', () => {
      timers.push(setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
      }, DRAIN_MS));
    });
    child.on('close', () => {
      for (const t of timers) clearTimeout(t);
      spec.signal?.removeEventListener('abort', killGroup);
      const err = stderr.text();
      const out = stdout.text();
      resolve({
        pid: child.pid,
        status: spawnError === undefined ? child.exitCode : null,
        signal: child.signalCode,
        stdout: out,
        stderr: err,
        output: !err || !out || err.endsWith('\n') ? err + out : `${err}\n${out}`,
        timedOut,
        ...(spawnError !== undefined && { spawnError }),
        durationMs: performance.now() - started,
      });
    });
  });
}

/** The first `limit` bytes of a stream, decoded as UTF-8 without a character cut in half. */
function bounded(limit: number): { add: (chunk: Buffer) => void; text: () => string } {
  const chunks: Buffer[] = [];
  let kept = 0;
  return {
    add: (chunk) => {
      const room = limit - kept;
      if (room <= 0) return;
      const part = chunk.subarray(0, room);
      chunks.push(part);
      kept += part.length;
    },
    text: () => new TextDecoder().decode(Buffer.concat(chunks), { stream: true }),
  };
}

/** uid and gid for spawn: both or neither; undefined when a uid has no passwd entry for its group. */
function identity(spec: SpawnSpec): { uid?: number; gid?: number } | undefined {
  if (spec.uid === undefined && spec.gid === undefined) return {};
  if (spec.uid === undefined) return { uid: process.getuid!(), gid: spec.gid! };
  const gid = spec.gid ?? primaryGid(spec.uid);
  return gid === undefined ? undefined : { uid: spec.uid, gid };
}

function primaryGid(uid: number): number | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [, , u, g] = line.split(':');
    if (u !== undefined && g !== undefined && u !== '' && Number(u) === uid) return Number(g);
  }
  return undefined;
}
