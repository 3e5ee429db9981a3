import type { Logger, SpawnedProcess, Spawner } from '@warden/sdk';
import type { Hub } from './hub.js';
import type { JobOptions } from './job-options.js';

/** How the job's last run ended. */
export interface JobExit {
  readonly status: number | null;
  readonly signal: string | null;
  /** Wall-clock milliseconds. */
  readonly at: number;
  readonly uptimeMs: number;
}

/** Where the job stands, for status pages and tests. */
export type JobPhase = 'running' | 'backoff' | 'disabled' | 'done' | 'waiting' | 'stopped';

/**
 * One supervised job while warden runs: created by `init`, kept across reloads by `adopt`
 * when the job is unchanged, released by `dispose`. Everything it needs at run time (the
 * spawner, its logger, the shared hub) is attached on the first `observe`.
 */
export interface JobState {
  options: JobOptions;
  proc: SpawnedProcess | undefined;
  startedAt: number | undefined;
  /** Starts after the first. */
  restarts: number;
  lastExit: JobExit | undefined;
  /** Exited with status 33, or a `once` job that ran: never started again. */
  done: boolean;
  /** `disable NAME` over UDP. */
  udpDisabled: boolean;
  /** A `depends` file is missing: the job is held down until it is back. */
  depMissing: boolean;
  /** Disposed: never start again. */
  retired: boolean;
  /** Warden stopped it to restart it (bounce, dependency, enable): start at once on exit. */
  restartNow: boolean;
  /** Its output last went to /dev/null for want of descriptors (logged once until it has pipes again). */
  outputDropped: boolean;
  /** A `wait` job whose first run has not ended: later jobs hold their start. */
  waitPending: boolean;
  /** Held back by an earlier `wait` job. */
  gated: boolean;
  backoff: NodeJS.Timeout | undefined;
  bounce: NodeJS.Timeout | undefined;
  depHash: string | undefined;
  depWatch: (() => void) | undefined;
  env: { spawn: Spawner; log: Logger } | undefined;
  hub: Hub | undefined;
}

/** A fresh state: nothing runs until the first `observe`. */
export function initJob(options: JobOptions): JobState {
  return {
    options, proc: undefined, startedAt: undefined, restarts: 0, lastExit: undefined, done: false,
    udpDisabled: false, depMissing: false, retired: false, restartNow: false, outputDropped: false, waitPending: false,
    gated: false, backoff: undefined, bounce: undefined, depHash: undefined, depWatch: undefined,
    env: undefined, hub: undefined,
  };
}

/** The job's phase now. */
export function phaseOf(s: JobState): JobPhase {
  if (s.proc) return 'running';
  if (s.done) return 'done';
  if (s.options.disabled || s.udpDisabled || s.depMissing) return 'disabled';
  if (s.gated) return 'waiting';
  if (s.backoff) return 'backoff';
  return 'stopped';
}
