/** Cumulative I/O counters of one block device (Linux `Documentation/admin-guide/iostats.rst`). */
export interface DiskCounters {
  readonly readOps: number;
  readonly readBytes: number;
  readonly readMs: number;
  readonly writeOps: number;
  readonly writeBytes: number;
  readonly writeMs: number;
}

/** diskstats counts in 512-byte sectors whatever the device's block size. */
const SECTOR = 512;

/** Parse `/proc/diskstats` into counters by `major:minor`. */
export function parseDiskstats(text: string): Map<string, DiskCounters> {
  const byDevice = new Map<string, DiskCounters>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    const n = (i: number) => Number(f[i]);
    byDevice.set(`${f[0]}:${f[1]}`, {
      readOps: n(3),
      readBytes: n(5) * SECTOR,
      readMs: n(6),
      writeOps: n(7),
      writeBytes: n(9) * SECTOR,
      writeMs: n(10),
    });
  }
  return byDevice;
}

/** Per-second rates between two samples, and the average time per operation. */
export interface IoRates {
  readonly readBytes: number;
  readonly readOps: number;
  readonly writeBytes: number;
  readonly writeOps: number;
  /** Milliseconds per operation over the interval (0 when there was none), as Monit's service time. */
  readonly serviceTimeMs: number;
  readonly readTimeMs: number;
  readonly writeTimeMs: number;
}

/**
 * Rates from two samples `seconds` apart. A counter that went backwards (a device that was
 * replaced, a wrap) reads as 0 for this interval, as Monit does.
 */
export function ioRates(prev: DiskCounters, cur: DiskCounters, seconds: number): IoRates {
  const d = (k: keyof DiskCounters) => Math.max(0, cur[k] - prev[k]);
  const per = (k: keyof DiskCounters) => (seconds > 0 ? d(k) / seconds : 0);
  const readOps = d('readOps');
  const writeOps = d('writeOps');
  const ops = readOps + writeOps;
  return {
    readBytes: per('readBytes'),
    readOps: per('readOps'),
    writeBytes: per('writeBytes'),
    writeOps: per('writeOps'),
    serviceTimeMs: ops > 0 ? (d('readMs') + d('writeMs')) / ops : 0,
    readTimeMs: readOps > 0 ? d('readMs') / readOps : 0,
    writeTimeMs: writeOps > 0 ? d('writeMs') / writeOps : 0,
  };
}
