/**
 * One daemon per pid file (Monit's `set pidfile`, `-p`). The file holds the pid and a newline;
 * it is written under a temporary name and renamed (or linked, when none existed, so two
 * daemons starting at once cannot both win) so a reader never sees half a number.
 */
import { existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { describeSystemError } from '../exec/system-error.js';

/** A held pid file. */
export interface PidfileLock {
  /** Remove the file if it still names this process; safe to call twice. */
  release(): void;
}

/**
 * Claim `path` for this process. Throws `warden daemon with PID <pid> is already running
 * (pid file <path>)` when it names another live process; a file naming a dead process is
 * replaced. A file naming this process (a re-exec, a second call) is taken over.
 */
export function acquirePidfile(path: string, pid: number = process.pid): PidfileLock {
  const temp = `${path}.${pid}.tmp`;
  // Two passes: the second only after another daemon's file appeared between check and link.
  for (let attempt = 0; attempt < 2; attempt++) {
    const holder = readPidfile(path);
    if (holder !== undefined && holder !== pid) throw alreadyRunning(holder, path);
    try {
      writeFileSync(temp, `${pid}\n`, { mode: 0o644 });
      if (existsSync(path)) {
        renameSync(temp, path);
      } else {
        try {
          linkSync(temp, path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
          throw err;
        } finally {
          unlinkQuietly(temp);
        }
      }
    } catch (err) {
      unlinkQuietly(temp);
      throw new Error(`cannot write pid file '${path}' -- ${describeSystemError(err)}`, { cause: err });
    }
    // Two daemons replacing the same stale file both rename; the last one wins.
    const written = readPidNumber(path);
    if (written !== pid && written !== undefined && isAlive(written)) throw alreadyRunning(written, path);
    return { release: () => releasePidfile(path, pid) };
  }
  const holder = readPidfile(path);
  throw holder !== undefined ? alreadyRunning(holder, path) : new Error(`cannot claim pid file '${path}'`);
}

/** The live process `path` names, or undefined (no file, no number, a dead process). */
export function readPidfile(path: string): number | undefined {
  const pid = readPidNumber(path);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/**
 * A signal-0 probe confirmed by a non-empty `/proc/<pid>/cmdline`: a zombie or a kernel thread
 * that inherited a stale pid has an empty one, and neither is a running daemon.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but owned by someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`).length > 0;
  } catch {
    return false;
  }
}

function readPidNumber(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const pid = Number(trimmed);
  return pid > 0 && Number.isSafeInteger(pid) ? pid : undefined;
}

function releasePidfile(path: string, pid: number): void {
  if (readPidNumber(path) === pid) unlinkQuietly(path);
}

function alreadyRunning(pid: number, path: string): Error {
  return new Error(`warden daemon with PID ${pid} is already running (pid file ${path})`);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
