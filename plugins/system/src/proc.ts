/** Cumulative CPU time of all CPUs from the first line of `/proc/stat`, in clock ticks. */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly hardirq: number;
  readonly softirq: number;
  readonly steal: number;
  readonly guest: number;
  readonly guestnice: number;
}

/** The CPU split Monit reports, in percent of all CPU time over the last cycle. */
export type CpuUsage = Readonly<Record<keyof CpuTimes | 'wait', number>>;

/** The three load averages of `/proc/loadavg`. */
export function parseLoadavg(text: string): [number, number, number] | undefined {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return a === undefined || b === undefined || c === undefined || [a, b, c].some(Number.isNaN) ? undefined : [a, b, c];
}

/** The aggregate `cpu` line of `/proc/stat`; fields a kernel does not have read as 0. */
export function parseCpuTimes(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  if (n.length < 4 || n.some(Number.isNaN)) return undefined;
  const f = (i: number) => n[i] ?? 0;
  return { user: f(0), nice: f(1), system: f(2), idle: f(3), iowait: f(4), hardirq: f(5), softirq: f(6), steal: f(7), guest: f(8), guestnice: f(9) };
}

/**
 * CPU usage between two samples, as Monit computes it on Linux: the total is every field but
 * guest time (already inside user and nice), guest is taken out of user and guest_nice out of
 * nice, and a counter that went backwards (seen for iowait) reads as 0.
 */
export function cpuUsage(prev: CpuTimes, cur: CpuTimes): CpuUsage | undefined {
  const total = (t: CpuTimes) => t.user + t.nice + t.system + t.idle + t.iowait + t.hardirq + t.softirq + t.steal;
  const delta = total(cur) - total(prev);
  if (delta <= 0) return undefined;
  const pct = (p: number, c: number) => (c < p ? 0 : ((c - p) / delta) * 100);
  const iowait = pct(prev.iowait, cur.iowait);
  return {
    user: pct(prev.user - prev.guest, cur.user - cur.guest),
    nice: pct(prev.nice - prev.guestnice, cur.nice - cur.guestnice),
    system: pct(prev.system, cur.system),
    idle: pct(prev.idle, cur.idle),
    iowait,
    wait: iowait,
    hardirq: pct(prev.hardirq, cur.hardirq),
    softirq: pct(prev.softirq, cur.softirq),
    steal: pct(prev.steal, cur.steal),
    guest: pct(prev.guest, cur.guest),
    guestnice: pct(prev.guestnice, cur.guestnice),
  };
}

/** Memory and swap in bytes. */
export interface MemoryInfo {
  readonly memoryTotal: number;
  readonly memoryUsed: number;
  readonly swapTotal: number;
  readonly swapUsed: number;
}

/**
 * Used memory as Monit computes it on Linux: `MemTotal − MemAvailable` when the kernel has
 * `MemAvailable` (3.14+), else `MemTotal − (MemFree + Buffers + Cached + SReclaimable)`.
 * Used swap is `SwapTotal − SwapFree`.
 */
export function parseMeminfo(text: string): MemoryInfo | undefined {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]) * 1024);
  }
  const total = kb.get('MemTotal');
  if (total === undefined) return undefined;
  const available = kb.get('MemAvailable');
  const free = (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0) + (kb.get('SReclaimable') ?? 0);
  const swapTotal = kb.get('SwapTotal') ?? 0;
  return {
    memoryTotal: total,
    memoryUsed: Math.max(0, total - (available ?? free)),
    swapTotal,
    swapUsed: Math.max(0, swapTotal - (kb.get('SwapFree') ?? swapTotal)),
  };
}

/** Seconds since boot, from `/proc/uptime`. */
export function parseUptime(text: string): number | undefined {
  const s = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(s) ? s : undefined;
}

/** Open file handles of the whole system and the kernel's limit, from `/proc/sys/fs/file-nr`. */
export function parseFileNr(text: string): { allocated: number; maximum: number } | undefined {
  const [allocated, , maximum] = text.trim().split(/\s+/).map(Number);
  return allocated === undefined || maximum === undefined || Number.isNaN(allocated) || Number.isNaN(maximum) ? undefined : { allocated, maximum };
}
