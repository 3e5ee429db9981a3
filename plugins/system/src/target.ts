import { availableParallelism } from 'node:os';
import { readProcFile, type ObserveContext, type TokenStream } from '@warden/sdk';
import { cpuUsage, parseCpuTimes, parseFileNr, parseLoadavg, parseMeminfo, parseUptime, type CpuTimes, type CpuUsage, type MemoryInfo } from './proc.js';

/** `check system NAME` has no header options. */
export type SystemOptions = Record<string, never>;

/** What the system service observes once a cycle; a part is absent when its /proc file could not be read. */
export interface SystemTarget {
  readonly load?: readonly [number, number, number];
  /** Online CPUs, for `per core`. */
  readonly cores: number;
  /** Absent on the first cycle: usage needs two samples. */
  readonly cpu?: CpuUsage;
  readonly cpuReadable: boolean;
  readonly memory?: MemoryInfo;
  readonly uptimeSeconds?: number;
  readonly fileDescriptors?: { readonly allocated: number; readonly maximum: number };
}

/** Kept across cycles: the last CPU sample. */
export interface SystemState {
  last?: CpuTimes;
}

/** Nothing follows `check system NAME`. */
export function parseSystemTarget(_ts: TokenStream): SystemOptions {
  return {};
}

/**
 * Read `/proc/loadavg`, `/proc/stat`, `/proc/meminfo`, `/proc/uptime` and
 * `/proc/sys/fs/file-nr` and turn the CPU counters into usage against this service's previous
 * sample. Synchronously: procfs files are made by the kernel in memory and never block, and
 * five reads through the thread pool cost several times the CPU of five direct ones.
 */
export function observeSystem(ctx: ObserveContext<SystemOptions, SystemState>): SystemTarget {
  const [loadavg, stat, meminfo, uptime, fileNr] = ['/proc/loadavg', '/proc/stat', '/proc/meminfo', '/proc/uptime', '/proc/sys/fs/file-nr'].map((path) => readProcFile(path));
  const times = stat === undefined ? undefined : parseCpuTimes(stat);
  const last = ctx.state.last;
  ctx.state.last = times;
  const cpu = last && times ? cpuUsage(last, times) : undefined;
  const load = loadavg === undefined ? undefined : parseLoadavg(loadavg);
  const memory = meminfo === undefined ? undefined : parseMeminfo(meminfo);
  const uptimeSeconds = uptime === undefined ? undefined : parseUptime(uptime);
  const fileDescriptors = fileNr === undefined ? undefined : parseFileNr(fileNr);
  return {
    cores: Math.max(1, availableParallelism()),
    cpuReadable: times !== undefined,
    ...(load && { load }),
    ...(cpu && { cpu }),
    ...(memory && { memory }),
    ...(uptimeSeconds !== undefined && { uptimeSeconds }),
    ...(fileDescriptors && { fileDescriptors }),
  };
}
