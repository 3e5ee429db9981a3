import { defineServiceType, type Observation } from '@warden/sdk';
import { processUptime } from './uptime-now.js';
import { disposeProcessState, initProcessState, observeProcess, parseProcessTarget, type ProcessOptions, type ProcessState, type ProcessTarget } from './target.js';

/** Monit's uptime format: `0m`, `3h 12m`, `2d 4h 1m`. */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}

/**
 * What `status` shows for a process whatever the rules (Monit's process block, §2–§3), from
 * what the service reads anyway: `pid`, `ppid`, `uid`, `euid`, `gid`, `uptime` (seconds),
 * `threads`, `memoryKb`, `memoryPercent`, `cpuPercent` (absent on a process's first sample).
 * Tree figures (`children`, `…Total`) and descriptors (`fd…`) come from the rules that read them.
 */
export function processObservations(t: ProcessTarget): Record<string, Observation> {
  if (t.pid === undefined || !t.stat) return { pid: -1 };
  const memPct = t.memTotal ? (100 * t.stat.rss) / t.memTotal : 0;
  // Assigned one by one rather than spread (thousands per cycle), in the order status shows them.
  const seen: Record<string, Observation> = { pid: t.pid, ppid: t.stat.ppid };
  if (t.ids) {
    seen['uid'] = t.ids.uid;
    seen['euid'] = t.ids.euid;
    seen['gid'] = t.ids.gid;
  }
  // The uptime now, not at the last observation: a resting check may not observe.
  const uptime = t.uptimeSeconds === undefined ? undefined : processUptime(t.stat.startTicks);
  if (uptime !== undefined) seen['uptime'] = uptime;
  seen['threads'] = t.stat.threads;
  seen['memoryKb'] = Math.round(t.stat.rss / 1024);
  seen['memoryPercent'] = Math.round(memPct * 10) / 10;
  if (t.cpuPercent !== undefined) seen['cpuPercent'] = Math.round(t.cpuPercent * 10) / 10;
  return seen;
}

/**
 * `check process NAME [with] pidfile PATH` (Monit B1, B3) and `check process NAME matching
 * "REGEX"` (B2). Implicit `if does not exist then restart`.
 */
export const processService = defineServiceType<ProcessOptions, ProcessTarget, ProcessState>({
  name: 'process',
  summary: 'A process, found by its pidfile or by matching its command line',
  keywords: ['process'],
  monitType: 'process',
  options: {
    pidfile: { type: 'path', description: 'File holding the pid (`path` is a synonym); a stale or garbage pid counts as not running.' },
    matching: { type: 'string', description: 'Regular expression on the command line; the top-most matching process running the longest is followed.' },
  },
  parseTarget: (ts) => parseProcessTarget(ts),
  implicitRules: () => ['if does not exist then restart'],
  describe: (o) => (o.kind === 'pidfile' ? o.path : `matching "${o.pattern}"`),
  init: initProcessState,
  dispose: disposeProcessState,
  observe: observeProcess,
  observations: processObservations,
  // `observe` hands back the target it gave last time while nothing the tests read moved (the
  // pid, the kept stat, the ids, the CPU and memory figures); only the uptime moves in place,
  // and the uptime test, which reads it, is not steady. `status` reads the uptime afresh.
  sameTarget: (previous, next) => previous === next,
  observationsMove: true,
  // A pidfile and the process's kept /proc/PID/stat are all a pidfile check reads: while
  // neither moves, core's batches let a resting check skip observing (a `matching` check scans).
  statPath: (o) => (o.kind === 'pidfile' ? o.path : undefined),
  statFd: (state) => state.stat.descriptor,
  running: (t) => t.pid !== undefined,
  watchPid: (t) => t.pid,
  environment(t, seen) {
    const memKb = t?.stat ? Math.round(t.stat.rss / 1024) : 0;
    const children = typeof seen['children'] === 'number' ? seen['children'] : 0;
    return {
      PROCESS_PID: String(t?.pid ?? -1),
      PROCESS_MEMORY: String(memKb),
      PROCESS_CHILDREN: String(t?.pid === undefined ? 0 : children),
      PROCESS_CPU_PERCENT: (t?.cpuPercent ?? 0).toFixed(1),
    };
  },
});
