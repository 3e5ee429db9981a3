import { compare, defineTest, formatBytes, ok, skipped, type Comparison, type CycleContext, type Observation, type ProbeResult } from '@warden/sdk';
import { readSmall } from './proc.js';
import type { ProcessTarget } from './target.js';

/** The counters of `/proc/PID/io`, cumulative since the process started. */
export interface ProcIo {
  /** `rchar`/`wchar`: bytes passed to read/write calls (Monit's "read bytes", generic). */
  readonly genericRead: number;
  readonly genericWrite: number;
  /** `read_bytes`/`write_bytes`: bytes the process made the storage layer fetch or send. */
  readonly diskRead: number;
  readonly diskWrite: number;
  /** `syscr`/`syscw`: read and write calls. */
  readonly readOps: number;
  readonly writeOps: number;
}

/** Parse `/proc/PID/io` (`rchar: 123` lines). */
export function parseIo(text: string): ProcIo | undefined {
  const f: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) f[line.slice(0, colon)] = Number(line.slice(colon + 1));
  }
  const io = { genericRead: f['rchar'], genericWrite: f['wchar'], diskRead: f['read_bytes'], diskWrite: f['write_bytes'], readOps: f['syscr'], writeOps: f['syscw'] };
  return Object.values(io).every((v) => typeof v === 'number' && Number.isFinite(v)) ? (io as ProcIo) : undefined;
}

/** `/proc/PID/io`, or undefined when the process is gone or not ours to read (needs ptrace rights). */
export function readIo(pid: number): ProcIo | undefined {
  const text = readSmall(`/proc/${pid}/io`, 1024);
  return text === undefined ? undefined : parseIo(text);
}

/** One read of a pid's counters per cycle, shared by every I/O rule. */
export function cycleIo(cycle: CycleContext, pid: number): ProcIo | undefined {
  return cycle.memoSync(`process:io:${pid}`, () => readIo(pid));
}

/** Which counter a rule follows. */
export type IoKind = 'generic' | 'disk' | 'operations';

/** `[disk] read|write OP N unit/s` or `disk read|write OP N operations/s`. */
export interface IoOptions {
  readonly direction: 'read' | 'write';
  readonly kind: IoKind;
  readonly comparison: Comparison;
}

const OPERATION_WORDS = ['operation', 'operations', 'operation/s', 'operations/s'];

const FIELD: Readonly<Record<IoKind, Readonly<Record<'read' | 'write', keyof ProcIo>>>> = {
  generic: { read: 'genericRead', write: 'genericWrite' },
  disk: { read: 'diskRead', write: 'diskWrite' },
  operations: { read: 'readOps', write: 'writeOps' },
};

/** The sample a rule keeps between cycles. */
interface IoSample {
  readonly pid: number;
  readonly startTicks: number;
  readonly at: number;
  readonly io: ProcIo;
}

/**
 * `if read|write [activity|rate] OP N unit/s`, `if disk read|write OP N unit/s` and `if disk
 * read|write OP N operations/s` (Monit C15): the process's generic bytes (`rchar`/`wchar`),
 * storage bytes (`read_bytes`/`write_bytes`) or read/write calls (`syscr`/`syscw`) per second
 * between two cycles, from `/proc/PID/io`. The first cycle of a process has one sample and is
 * skipped.
 */
export const ioTest = defineTest<IoOptions, ProcessTarget>({
  name: 'process.io',
  summary: 'Read or write rate of the process, in bytes or operations per second',
  serviceTypes: ['process'],
  keywords: ['read', 'write', 'disk'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  parse(ts) {
    const disk = ts.accept('disk') !== undefined;
    const direction = ts.expect('read', 'write').text.toLowerCase() as 'read' | 'write';
    const parsed = ts.comparison(['bytes']);
    const operations = ts.accept(...OPERATION_WORDS) !== undefined;
    const kind: IoKind = operations ? 'operations' : disk ? 'disk' : 'generic';
    const comparison: Comparison = operations ? { op: parsed.op, value: parsed.value, unit: 'none', text: `${parsed.text.replace(/ B$/, '')} operations/s` } : parsed;
    const shown = operations || comparison.text.endsWith('/s') ? comparison.text : `${comparison.text}/s`;
    return { options: { direction, kind, comparison }, condition: { kind: 'compare', comparison }, describe: `${disk ? 'disk ' : ''}${direction} ${comparison.op} ${shown}` };
  },
  run(ctx): ProbeResult {
    const { pid, stat } = ctx.target;
    if (pid === undefined || !stat) return skipped('process is not running');
    const { direction, kind, comparison: c } = ctx.options;
    const what = kind === 'generic' ? `${direction} rate` : kind === 'disk' ? `disk ${direction} rate` : `disk ${direction} operations`;
    const io = cycleIo(ctx.cycle, pid);
    if (!io) return skipped(`no data are available for ${what} test -- cannot read /proc/${pid}/io`);
    const now = ctx.clock.monotonic();
    const last = ctx.state['sample'] as IoSample | undefined;
    ctx.state['sample'] = { pid, startTicks: stat.startTicks, at: now, io } satisfies IoSample;
    if (!last || last.pid !== pid || last.startTicks !== stat.startTicks || now <= last.at) {
      return skipped(`${what}: waiting for a second sample`, { observations: ioObservations(io) });
    }
    const rates = perSecond(last.io, io, (now - last.at) / 1000);
    const value = rates[FIELD[kind][direction]];
    const shown = kind === 'operations' ? `${value.toFixed(1)} operations/s` : `${formatBytes(Math.round(value))}/s`;
    const limit = kind === 'operations' ? `${c.value} operations/s` : `${formatBytes(c.value)}/s`;
    const message = compare(value, c.op, c.value)
      ? `${what} of ${shown} matches resource limit [${what} ${c.op} ${limit}]`
      : `${what} check succeeded [current ${what} = ${shown}]`;
    return ok(message, { value, display: shown, observations: ioObservations(io, rates) });
  },
});

/** Each counter's growth per second; a counter that went down (never on Linux) counts as 0. */
export function perSecond(before: ProcIo, after: ProcIo, seconds: number): ProcIo {
  const r = (k: keyof ProcIo) => Math.max(0, after[k] - before[k]) / seconds;
  return {
    genericRead: r('genericRead'), genericWrite: r('genericWrite'), diskRead: r('diskRead'),
    diskWrite: r('diskWrite'), readOps: r('readOps'), writeOps: r('writeOps'),
  };
}

/** Monit's `<read>`/`<write>` figures: per second (`count`) and since start (`total`). */
function ioObservations(io: ProcIo, rates?: ProcIo): Record<string, Observation> {
  const out: Record<string, Observation> = {
    readBytesGenericTotal: io.genericRead, readBytesTotal: io.diskRead, readOperationsTotal: io.readOps,
    writeBytesGenericTotal: io.genericWrite, writeBytesTotal: io.diskWrite, writeOperationsTotal: io.writeOps,
  };
  if (rates) {
    Object.assign(out, {
      readBytesGeneric: Math.round(rates.genericRead), readBytes: Math.round(rates.diskRead), readOperations: Math.round(rates.readOps),
      writeBytesGeneric: Math.round(rates.genericWrite), writeBytes: Math.round(rates.diskWrite), writeOperations: Math.round(rates.writeOps),
    });
  }
  return out;
}
