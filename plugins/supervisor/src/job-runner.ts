import { constants } from 'node:os';
import { basename } from 'node:path';
import type { SpawnedProcess, SpawnResult } from '@warden/sdk';
import { watchDepends, hashDepends } from './depends.js';
import { fdUsage, NO_OUTPUT, pipesFit } from './fd-budget.js';
import { BACKOFF_MS, DEFAULT_GRACE_MS, MIN_UPTIME_MS, NO_RESTART_STATUS } from './job-options.js';
import type { JobState } from './job-state.js';
import { buildLaunch, type StartSpec } from './launch.js';

/**
 * Start the job if it should run and is not running. Honours `disable`, UDP `disable`, a
 * missing dependency, exit 33 / `once`, a pending 10-s backoff and an earlier `wait` job.
 */
export function startJob(s: JobState): void {
  const env = s.env;
  if (!env || s.retired || s.done || s.proc || s.backoff) return;
  if (s.options.disabled || s.udpDisabled || s.depMissing) return;
  if (s.hub?.gatedBy(s)) {
    s.gated = true;
    return;
  }
  s.gated = false;
  const { log, spawn } = env;
  const name = s.options.name;
  const launch = buildLaunch(s.options);
  if (typeof launch === 'string') {
    log.error(`job ${name}: ${launch}`);
    return failed(s, 255);
  }
  if (!spawn.start) {
    log.error(`job ${name}: this spawner cannot start long-running programs`);
    return;
  }
  const exe = basename(s.options.argv[0] ?? '');
  // Output can only come once the process exists; the holder is filled right after.
  const started: { pid?: number } = {};
  const spec: StartSpec = { ...launch, ...outputStreams(s, launch), onOutput: (_stream, line) => log.info(`${exe}[${started.pid ?? ''}]: ${line}`) };
  const proc = spawn.start(spec);
  started.pid = proc.pid;
  if (proc.pid === undefined) {
    void proc.exited.then((r) => {
      log.error(`job ${name}: ${r.spawnError ?? 'could not start'}`);
      failed(s, 255);
    });
    return;
  }
  if (s.startedAt !== undefined) s.restarts++;
  s.proc = proc;
  s.startedAt = Date.now();
  log.info(`started job ${name} [${proc.pid}]`);
  if (s.options.wait && s.lastExit === undefined) {
    s.waitPending = true;
    log.info(`pausing for job ${name} to finish`);
  }
  if (s.options.bounceMs !== undefined) {
    s.bounce = setTimeout(() => {
      s.bounce = undefined;
      restartJob(s);
    }, s.options.bounceMs);
  }
  void proc.exited.then((r) => onExit(s, proc, r));
}

/**
 * Logged output costs warden a pipe per stream for as long as the job runs; when the
 * descriptors left would fall below the reserve, the job's unlogged streams go to
 * /dev/null instead (said once), so a thousand jobs cannot starve warden or each other.
 */
function outputStreams(s: JobState, launch: StartSpec): Pick<StartSpec, 'stdoutFile' | 'stderrFile'> {
  const pipes = (launch.stdoutFile === undefined ? 1 : 0) + (launch.stderrFile === undefined ? 1 : 0);
  const usage = pipes > 0 ? fdUsage() : undefined;
  if (pipesFit(usage, pipes)) {
    s.outputDropped = false;
    return {};
  }
  if (!s.outputDropped && usage) {
    s.env?.log.warning(`job ${s.options.name}: output to ${NO_OUTPUT}: warden holds ${usage.open} of its ${usage.limit} file descriptors (set out and err, or raise ulimit -n)`);
  }
  s.outputDropped = true;
  return { stdoutFile: launch.stdoutFile ?? NO_OUTPUT, stderrFile: launch.stderrFile ?? NO_OUTPUT };
}

/** A start that failed before the program ran: pmtr's exit status 255, retried in 10 s. */
function failed(s: JobState, status: number): void {
  s.lastExit = { status, signal: null, at: Date.now(), uptimeMs: 0 };
  releaseWait(s);
  // pmtr: a `once` job is done after any exit, its failed start (exit 255) included.
  if (s.options.once) s.done = true;
  else scheduleBackoff(s);
}

function scheduleBackoff(s: JobState): void {
  if (s.retired) return;
  s.backoff = setTimeout(() => {
    s.backoff = undefined;
    startJob(s);
  }, BACKOFF_MS);
}

function releaseWait(s: JobState): void {
  if (!s.waitPending) return;
  s.waitPending = false;
  s.env?.log.info(`job ${s.options.name} finished`);
  s.hub?.released();
}

function onExit(s: JobState, proc: SpawnedProcess, r: SpawnResult): void {
  if (s.proc !== proc) return;
  const now = Date.now();
  const uptimeMs = now - (s.startedAt ?? now);
  s.proc = undefined;
  clearTimeout(s.bounce);
  s.bounce = undefined;
  s.lastExit = { status: r.status, signal: r.signal, at: now, uptimeMs };
  const how = r.signal ? `signal ${constants.signals[r.signal as NodeJS.Signals] ?? r.signal}` : `exit status ${r.status}`;
  s.env?.log.info(`job ${s.options.name} [${r.pid}] exited after ${Math.floor(uptimeMs / 1000)} sec: ${how}`);
  releaseWait(s);
  if (s.retired) return;
  if (r.signal === null && r.status === NO_RESTART_STATUS) {
    s.done = true;
    s.env?.log.info(`job ${s.options.name} exited with status ${NO_RESTART_STATUS}: not restarting it`);
    return;
  }
  if (s.options.once) {
    s.done = true;
    return;
  }
  if (s.restartNow) {
    s.restartNow = false;
    startJob(s);
    return;
  }
  if (uptimeMs < MIN_UPTIME_MS) scheduleBackoff(s);
  else startJob(s);
}

/** SIGTERM to the job's process group, SIGKILL after the grace period; resolves once it is reaped. */
export async function stopJob(s: JobState): Promise<void> {
  const proc = s.proc;
  if (!proc) return;
  const name = s.options.name;
  s.env?.log.info(`sending SIGTERM to job ${name} [${proc.pid}]`);
  proc.kill('SIGTERM');
  const kill = setTimeout(() => {
    s.env?.log.info(`sending SIGKILL to job ${name} [${proc.pid}]`);
    proc.kill('SIGKILL');
  }, s.options.graceMs ?? DEFAULT_GRACE_MS);
  await proc.exited;
  clearTimeout(kill);
}

/** Stop the job and start it again as soon as it is gone (no backoff: warden asked for it). */
export function restartJob(s: JobState): void {
  if (!s.proc) return startJob(s);
  s.restartNow = true;
  void stopJob(s);
}

/** First `observe`: check and watch the dependencies, then start. */
export function activateJob(s: JobState): void {
  checkDepends(s, true);
  s.depWatch = watchDepends(s.options, () => checkDepends(s, false));
  startJob(s);
}

/** Re-read the dependencies: hold the job down while one is missing, restart it on a change. */
function checkDepends(s: JobState, first: boolean): void {
  if (s.retired || s.options.depends.length === 0) return;
  const log = s.env?.log;
  const name = s.options.name;
  const h = hashDepends(s.options);
  if (typeof h !== 'string') {
    if (s.depMissing) return;
    log?.error(h.error);
    log?.error(`job ${name}: can't open dependency ${h.path}`);
    s.depMissing = true;
    void stopJob(s);
    return;
  }
  const was = s.depHash;
  s.depHash = h;
  if (s.depMissing) {
    s.depMissing = false;
    log?.info(`job ${name}: dependencies readable again`);
    if (was !== undefined && was !== h) s.restarts++;
    startJob(s);
    return;
  }
  if (!first && was !== undefined && was !== h) {
    log?.info(`job ${name}: dependency changed`);
    restartJob(s);
  }
}

/** Release the job for good: stop it (TERM, then KILL after the grace period) and its watchers. */
export async function disposeJob(s: JobState): Promise<void> {
  s.retired = true;
  clearTimeout(s.backoff);
  clearTimeout(s.bounce);
  s.backoff = undefined;
  s.bounce = undefined;
  s.depWatch?.();
  s.depWatch = undefined;
  s.hub?.unregister(s);
  await stopJob(s);
}
