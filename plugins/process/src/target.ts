import { availableParallelism } from 'node:os';
import type { CycleContext, ObserveContext, TokenStream } from '@warden/sdk';
import { KeptStat } from './kept-stat.js';
import { PidfileCache } from './pidfile.js';
import { secondsRun, systemUptime } from './uptime-now.js';
import {
  CLOCK_TICKS, findMatching, isGone, readCommand, readIds, readMemTotal, scanProcesses,
  type ProcessTable, type ProcIds, type ProcStat,
} from './proc.js';

/** How a `check process` finds its process: a pidfile or a command-line pattern. */
export type ProcessOptions =
  | { readonly kind: 'pidfile'; readonly path: string }
  | { readonly kind: 'match'; readonly pattern: string };

/** What the service saw this time; every test of the service reads it. */
export interface ProcessTarget {
  /** The followed process, alive (not a zombie); absent when it is not running. */
  readonly pid?: number;
  readonly stat?: ProcStat;
  readonly ids?: ProcIds;
  /** Why there is no process: `pidfile '/x' does not exist`, `process with pid 7 is a zombie`. */
  readonly reason?: string;
  /** CPU of the process itself over the last interval, in percent of one core; absent on the first sample. */
  readonly cpuPercent?: number;
  readonly uptimeSeconds?: number;
  /** `MemTotal`, for memory percentages. */
  readonly memTotal?: number;
}

/** What a service keeps between observations: its files, the CPU sample and the ids of its process. */
export interface ProcessState {
  /** The pidfile's content, read again when the file changed. */
  readonly pidfile: PidfileCache;
  /** `/proc/PID/stat` of the followed process, kept open. */
  readonly stat: KeptStat;
  /** The last CPU sample; moved on in place each cycle (one object per service, not one per cycle). */
  last?: { readonly pid: number; readonly startTicks: number; cpuTicks: number; at: number; percent: number | undefined };
  /** uid/gid read once per process (pid + start time): they rarely change, and `status` is the costliest read. */
  ids?: { readonly pid: number; readonly startTicks: number; readonly ids: ProcIds };
  /** The last target, given again (its uptime moved on in place) while nothing else in it moves. */
  target?: { -readonly [K in keyof ProcessTarget]: ProcessTarget[K] };
}

/** `[with] pidfile PATH`, `[with] path PATH`, `matching|match "REGEX"`, `=~ "REGEX"`. */
export function parseProcessTarget(ts: TokenStream): ProcessOptions {
  if (ts.accept('pidfile', 'path')) return { kind: 'pidfile', path: ts.path() };
  if (ts.accept('matching', 'match', '=~')) {
    const tok = ts.peek();
    const pattern = ts.string('a regular expression');
    try {
      new RegExp(pattern);
    } catch {
      ts.error('regex parsing error', tok);
    }
    return { kind: 'match', pattern };
  }
  return ts.syntaxError("expected 'pidfile', 'path' or 'matching'");
}

/** A new service's state: nothing seen yet, nothing open. */
export function initProcessState(): ProcessState {
  return { pidfile: new PidfileCache(), stat: new KeptStat() };
}

/** Close what the service keeps open. */
export function disposeProcessState(state: ProcessState): void {
  state.stat.close();
}

/** The cycle's process table, read once for every process check that needs it. */
export function cycleTable(cycle: CycleContext): Promise<ProcessTable> {
  return cycle.memo('process:scan', scanProcesses);
}

/** Command lines read this cycle, shared by every `matching` check. */
async function cycleCommand(cycle: CycleContext): Promise<(pid: number) => string | undefined> {
  const cache = await cycle.memo('process:commands', () => new Map<number, string | undefined>());
  return (pid) => {
    if (!cache.has(pid)) cache.set(pid, readCommand(pid));
    return cache.get(pid);
  };
}

/**
 * Observe the process: find its pid, read its `stat`, and take a CPU sample. A pidfile check
 * answers synchronously (a `stat` of the pidfile and a read of a kept file); a `matching` one
 * waits for the cycle's scan.
 */
export function observeProcess(ctx: ObserveContext<ProcessOptions, ProcessState>): ProcessTarget | Promise<ProcessTarget> {
  const o = ctx.options;
  if (o.kind === 'match') return observeMatching(ctx, o.pattern);
  let found = ctx.state.pidfile.read(o.path, ctx.stat);
  let stat = found.pid === undefined ? undefined : ctx.state.stat.read(found.pid);
  if (stat === undefined && found.cached) {
    // The process is gone, or the file changed without its times showing it: read it again.
    const pid = found.pid;
    found = ctx.state.pidfile.reread(o.path);
    if (found.pid !== undefined && found.pid !== pid) stat = ctx.state.stat.read(found.pid);
  }
  if (found.pid === undefined) {
    ctx.state.stat.close();
    ctx.log.debug(found.reason!);
    return { reason: found.reason! };
  }
  return observeStat(ctx, found.pid, stat);
}

async function observeMatching(ctx: ObserveContext<ProcessOptions, ProcessState>, pattern: string): Promise<ProcessTarget> {
  const table = await cycleTable(ctx.cycle);
  const pid = findMatching(table, new RegExp(pattern), process.pid, await cycleCommand(ctx.cycle)).pick;
  if (pid === undefined) {
    ctx.state.stat.close();
    return { reason: `no process matches '${pattern}'` };
  }
  return observeStat(ctx, pid, ctx.state.stat.read(pid));
}

/** The process `pid` as the tests see it from its `stat` (read this cycle): CPU sample, ids and uptime. */
function observeStat(ctx: ObserveContext<ProcessOptions, ProcessState>, pid: number, stat: ProcStat | undefined): ProcessTarget {
  if (isGone(stat)) {
    const reason = stat ? `process with pid ${pid} is a zombie` : `process test failed [pid=${pid}] -- No such process`;
    ctx.log.debug(reason);
    return { reason };
  }
  const s = stat!;
  const now = ctx.clock.monotonic();
  const cpuPercent = sampleCpu(ctx.state, s, now, ctx.cycle.memoSync('process:cpus', availableParallelism));
  const memTotal = ctx.cycle.memoSync('process:memtotal', readMemTotal);
  const uptime = ctx.cycle.memoSync('process:uptime', systemUptime);
  const known = ctx.state.ids;
  let ids = known && known.pid === pid && known.startTicks === s.startTicks ? known.ids : undefined;
  if (!ids) {
    ids = readIds(pid);
    if (ids) ctx.state.ids = { pid, startTicks: s.startTicks, ids };
  }
  const uptimeSeconds = uptime === undefined ? undefined : secondsRun(uptime, s.startTicks);
  // The same process, stat, ids and figures as last time (a quiet process, cycle after cycle):
  // the same target, so that what the engine keeps is not a new object every cycle.
  const last = ctx.state.target;
  if (last !== undefined && last.pid === pid && last.stat === s && last.ids === ids && last.cpuPercent === cpuPercent && last.memTotal === memTotal
    && (last.uptimeSeconds === undefined) === (uptimeSeconds === undefined)) {
    last.uptimeSeconds = uptimeSeconds;
    return last;
  }
  // Assigned one by one rather than spread: thousands of these per cycle.
  const target: { -readonly [K in keyof ProcessTarget]: ProcessTarget[K] } = { pid, stat: s };
  if (ids) target.ids = ids;
  if (cpuPercent !== undefined) target.cpuPercent = cpuPercent;
  if (memTotal !== undefined) target.memTotal = memTotal;
  if (uptimeSeconds !== undefined) target.uptimeSeconds = uptimeSeconds;
  ctx.state.target = target;
  return target;
}

/** Below this many milliseconds between samples the CPU figure is noise: keep the last one. */
const MIN_SAMPLE_MS = 500;

/**
 * CPU percent as Monit computes it: CPU time used since the last sample over the wall time
 * between them, 100% being one core, capped at all cores. A new process starts a new sample.
 */
function sampleCpu(state: ProcessState, s: ProcStat, now: number, cpus: number): number | undefined {
  const last = state.last;
  if (!last || last.pid !== s.pid || last.startTicks !== s.startTicks) {
    state.last = { pid: s.pid, startTicks: s.startTicks, cpuTicks: s.cpuTicks, at: now, percent: undefined };
    return undefined;
  }
  const elapsed = now - last.at;
  if (elapsed < MIN_SAMPLE_MS) return last.percent;
  const used = Math.max(0, s.cpuTicks - last.cpuTicks) / CLOCK_TICKS;
  const percent = Math.min(100 * cpus, (100 * used) / (elapsed / 1000));
  last.cpuTicks = s.cpuTicks;
  last.at = now;
  last.percent = percent;
  return percent;
}
