import { compare, defineTest, formatBytes, ok, skipped, type Comparison, type ProbeResult } from '@warden/sdk';
import type { IoRates } from './diskstats.js';
import { notMounted } from './resource.js';
import type { FilesystemTarget } from './target.js';

/** `read|write [rate] OP N unit/s` (bytes) or `… OP N operations/s`. */
export interface IoOptions {
  readonly direction: 'read' | 'write';
  readonly operations: boolean;
  readonly comparison: Comparison;
}

const OPERATION_WORDS = ['operation', 'operations', 'operation/s', 'operations/s'];

/** Why there is no rate this cycle, in Monit's debug words. */
function noRate(target: FilesystemTarget, what: string): ProbeResult {
  return skipped(
    target.ioMissing === 'no-device'
      ? `no data are available for ${what} test -- '${target.mount?.source}' has no block device statistics`
      : `no data are available for ${what} test`,
  );
}

/**
 * `if read|write [rate] OP N unit/s` and `… OP N operations/s` (Monit C35): bytes or
 * operations per second of the filesystem's block device, from `/proc/diskstats` sampled
 * once a cycle. The first cycle has one sample only and is skipped; so is a filesystem
 * without a block device (tmpfs, NFS).
 */
export const ioTest = defineTest<IoOptions, FilesystemTarget>({
  name: 'filesystem.io',
  summary: 'Read or write rate of the device, in bytes or operations per second',
  serviceTypes: ['filesystem'],
  keywords: ['read', 'write'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  metrics: [
    { name: 'warden_filesystem_io_bytes_per_second', help: 'Bytes per second read or written on the device over the last cycle', type: 'gauge', labels: ['direction'] },
    { name: 'warden_filesystem_io_operations_per_second', help: 'Operations per second on the device over the last cycle', type: 'gauge', labels: ['direction'] },
  ],
  parse(ts) {
    const direction = ts.expect('read', 'write').text.toLowerCase() as 'read' | 'write';
    const parsed = ts.comparison(['bytes']);
    const operations = ts.accept(...OPERATION_WORDS) !== undefined;
    const comparison: Comparison = operations ? { op: parsed.op, value: parsed.value, unit: 'none', text: `${parsed.text.replace(/ B$/, '')} operations/s` } : parsed;
    const shown = operations || comparison.text.endsWith('/s') ? comparison.text : `${comparison.text}/s`;
    return { options: { direction, operations, comparison }, condition: { kind: 'compare', comparison }, describe: `${direction} rate ${comparison.op} ${shown}` };
  },
  steady: () => true,
  run(ctx): ProbeResult {
    const missing = notMounted(ctx.target);
    if (missing) return missing;
    const { direction, operations, comparison: c } = ctx.options;
    const io = ctx.target.io;
    if (!io) return noRate(ctx.target, `${direction} rate`);
    reportIo(ctx.metrics, io);
    const value = operations ? (direction === 'read' ? io.readOps : io.writeOps) : direction === 'read' ? io.readBytes : io.writeBytes;
    const shown = operations ? `${value.toFixed(1)} operations/s` : `${formatBytes(Math.round(value))}/s`;
    const limit = operations ? `${c.value} operations/s` : `${formatBytes(c.value)}/s`;
    const message = compare(value, c.op, c.value)
      ? `${direction} rate ${shown} matches resource limit [${direction} ${c.op} ${limit}]`
      : `${direction} rate test succeeded [current ${direction} = ${shown}]`;
    return ok(message, { value, display: shown, observations: ioObservations(io) });
  },
});

/** `service time OP N (ms|s)`. */
export interface ServiceTimeOptions {
  readonly comparison: Comparison;
}

/**
 * `if service time OP N (ms|s)` (Monit C36): the average milliseconds per read and write
 * operation of the device over the last cycle (time spent / operations, as Monit sums it).
 */
export const serviceTimeTest = defineTest<ServiceTimeOptions, FilesystemTarget>({
  name: 'filesystem.service-time',
  summary: 'Average time per disk operation over the last cycle',
  serviceTypes: ['filesystem'],
  keywords: ['service'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  parse(ts) {
    ts.expect('service');
    ts.expect('time');
    const comparison = ts.comparison(['ms']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `service time ${comparison.op} ${comparison.text}` };
  },
  steady: () => true,
  run(ctx): ProbeResult {
    const missing = notMounted(ctx.target);
    if (missing) return missing;
    const io = ctx.target.io;
    if (!io) return noRate(ctx.target, 'service time');
    const c = ctx.options.comparison;
    const value = io.serviceTimeMs;
    const message = compare(value, c.op, c.value)
      ? `service time ${value.toFixed(3)}ms/operation matches resource limit [service time ${c.op} ${c.text}/operation]`
      : `service time test succeeded [current service time = ${value.toFixed(3)} ms/operations]`;
    return ok(message, { value, display: `${value.toFixed(3)} ms`, observations: ioObservations(io) });
  },
});

function ioObservations(io: IoRates): Record<string, number> {
  return {
    readBytesPerSecond: io.readBytes,
    readOperationsPerSecond: io.readOps,
    writeBytesPerSecond: io.writeBytes,
    writeOperationsPerSecond: io.writeOps,
    serviceTimeMs: io.serviceTimeMs,
    readTimeMs: io.readTimeMs,
    writeTimeMs: io.writeTimeMs,
  };
}

function reportIo(metrics: { set(name: string, value: number, labels?: Record<string, string>): void }, io: IoRates): void {
  metrics.set('warden_filesystem_io_bytes_per_second', io.readBytes, { direction: 'read' });
  metrics.set('warden_filesystem_io_bytes_per_second', io.writeBytes, { direction: 'write' });
  metrics.set('warden_filesystem_io_operations_per_second', io.readOps, { direction: 'read' });
  metrics.set('warden_filesystem_io_operations_per_second', io.writeOps, { direction: 'write' });
}
