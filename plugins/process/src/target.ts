import { availableParallelism } from 'node:os';
import type { CycleContext, ObserveContext, TokenStream } from '@warden/sdk';
import {
  CLOCK_TICKS, findMatching, isGone, readCommand, readIds, readMemTotal, readSmall, readStat, readUptime, scanProcesses,
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

/** The CPU sample kept between observations (per service), and the ids of that process. */
export interface ProcessState {
  last?: { readonly pid: number; readonly startTicks: number; readonly cpuTicks: number; readonly at: number; readonly percent?: number };
  /** uid/gid read once per process (pid + start time): they rarely change, and `status` is the costliest read. */
  ids?: { readonly pid: number; readonly startTicks: number; readonly ids: ProcIds };
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

/** The pid a pidfile names, or why it names none. */
export function readPidfile(path: string): { readonly pid?: number; readonly reason?: string } {
  const text = readSmall(path, 64);
  if (text === undefined) return { reason: `pidfile '${path}' does not exist` };
  const m = /^\s*(\d{1,10})\s*$/.exec(text);
  const pid = m ? Number(m[1]) : NaN;
  if (!(pid > 0 && pid <= 4_194_304)) return { reason: `pidfile '${path}' does not contain a valid pid` };
  return { pid };
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
 * answers synchronously (two small reads); a `matching` one waits for the cycle's scan.
 */
export function observeProcess(ctx: ObserveContext<ProcessOptions, ProcessState>): ProcessTarget | Promise<ProcessTarget> {
  const o = ctx.options;
  if (o.kind === 'match') return observeMatching(ctx, o.pattern);
  const found = readPidfile(o.path);
  if (found.pid === undefined) {
    ctx.log.debug(found.reason!);
    return { reason: found.reason! };
  }
  return observePid(ctx, found.pid);
}

async function observeMatching(ctx: ObserveContext<ProcessOptions, ProcessState>, pattern: string): Promise<ProcessTarget> {
  const table = await cycleTable(ctx.cycle);
  const pid = findMatching(table, new RegExp(pattern), process.pid, await cycleCommand(ctx.cycle)).pick;
  if (pid === undefined) return { reason: `no process matches '${pattern}'` };
  return observePid(ctx, pid);
}

/** The process `pid` as the tests see it: its `stat`, CPU sample, ids and uptime. */
function observePid(ctx: ObserveContext<ProcessOptions, ProcessState>, pid: number): ProcessTarget {
  const stat = readStat(pid);
  if (isGone(stat)) {
    const reason = stat ? `process with pid ${pid} is a zombie` : `process test failed [pid=${pid}] -- No such process`;
    ctx.log.debug(reason);
    return { reason };
  }
  const s = stat!;
  const now = ctx.clock.monotonic();
  const cpuPercent = sampleCpu(ctx.state, s, now);
  const memTotal = ctx.cycle.memoSync('process:memtotal', readMemTotal);
  const uptime = ctx.cycle.memoSync('process:uptime', readUptime);
  const known = ctx.state.ids;
  let ids = known && known.pid === pid && known.startTicks === s.startTicks ? known.ids : undefined;
  if (!ids) {
    ids = readIds(pid);
    if (ids) ctx.state.ids = { pid, startTicks: s.startTicks, ids };
  }
  return {
    pid, stat: s,
    ...(ids ? { ids } : {}),
    ...(cpuPercent !== undefined ? { cpuPercent } : {}),
    ...(memTotal !== undefined ? { memTotal } : {}),
    ...(uptime !== undefined ? { uptimeSeconds: Math.max(0, Math.floor(uptime - s.startTicks / CLOCK_TICKS)) } : {}),
  };
}

/** Below this many milliseconds between samples the CPU figure is noise: keep the last one. */
const MIN_SAMPLE_MS = 500;

/**
 * CPU percent as Monit computes it: CPU time used since the last sample over the wall time
 * between them, 100% being one core, capped at all cores. A new process starts a new sample.
 */
function sampleCpu(state: ProcessState, s: ProcStat, now: number): number | undefined {
  const last = state.last;
  if (!last || last.pid !== s.pid || last.startTicks !== s.startTicks) {
    state.last = { pid: s.pid, startTicks: s.startTicks, cpuTicks: s.cpuTicks, at: now };
    return undefined;
  }
  const elapsed = now - last.at;
  if (elapsed < MIN_SAMPLE_MS) return last.percent;
  const used = Math.max(0, s.cpuTicks - last.cpuTicks) / CLOCK_TICKS;
  const percent = Math.min(100 * availableParallelism(), (100 * used) / (elapsed / 1000));
  state.last = { pid: s.pid, startTicks: s.startTicks, cpuTicks: s.cpuTicks, at: now, percent };
  return percent;
}
