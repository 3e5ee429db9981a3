import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { FakeClock, parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { ioTest, parseIo, perSecond, readIo } from './io.js';
import { readStat } from './proc.js';
import type { ProcessTarget } from './target.js';

const SAMPLE = 'rchar: 1000\nwchar: 2000\nsyscr: 10\nsyscw: 20\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n';

describe('process I/O rates', () => {
  it('reads every spelling of the I/O rules', () => {
    const w = parseTest(ioTest, 'disk write activity > 500 kb/s');
    assert.deepEqual(w.options, { direction: 'write', kind: 'disk', comparison: { op: '>', value: 500 * 1024, unit: 'bytes', text: '500 kb/s' } });
    assert.equal(w.describe, 'disk write > 500 kb/s');
    assert.equal(parseTest(ioTest, 'read > 1 MB/s').options.kind, 'generic');
    assert.equal(parseTest(ioTest, 'read rate > 1 MB/s').options.comparison.value, 1024 * 1024);
    const ops = parseTest(ioTest, 'disk read > 100 operations/s');
    assert.equal(ops.options.kind, 'operations');
    assert.deepEqual(ops.options.comparison, { op: '>', value: 100, unit: 'none', text: '100 operations/s' });
    assert.throws(() => parseTest(ioTest, 'disk > 5 MB/s'), /syntax error/);
  });

  it('maps /proc/PID/io: rchar/wchar generic, read_bytes/write_bytes disk, syscr/syscw operations', () => {
    const io = parseIo(SAMPLE)!;
    assert.deepEqual(io, { genericRead: 1000, genericWrite: 2000, diskRead: 4096, diskWrite: 8192, readOps: 10, writeOps: 20 });
    assert.equal(parseIo('rchar: 5\n'), undefined);
    const later = parseIo(SAMPLE.replace('wchar: 2000', 'wchar: 6000').replace('syscw: 20', 'syscw: 40'))!;
    assert.deepEqual(perSecond(io, later, 2), { genericRead: 0, genericWrite: 2000, diskRead: 0, diskWrite: 0, readOps: 0, writeOps: 10 });
    assert.equal(readIo(4_194_000), undefined);
    assert.ok(readIo(process.pid)!.readOps > 0);
  });

  describe('on a real process writing', function () {
    this.timeout(10_000);
    let writer: ChildProcess;
    before(async () => {
      // `echo` is a shell builtin: every line is a write(2) of the shell itself.
      writer = spawn('/bin/sh', ['-c', 'while :; do echo 0123456789abcdef; done > /dev/null'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 150));
    });
    after(() => {
      writer.kill('SIGKILL');
    });

    it('skips the first cycle, then gives bytes and calls per second', async () => {
      const target: ProcessTarget = { pid: writer.pid!, stat: readStat(writer.pid!)! };
      const clock = new FakeClock();
      const run = async (text: string, state: Record<string, unknown>) =>
        (await runProbe(ioTest, { options: parseTest(ioTest, text).options, target, clock, state, cycle: testCycle() })).result;
      const bytes: Record<string, unknown> = {};
      const calls: Record<string, unknown> = {};
      const first = await run('write > 1 kB/s', bytes);
      assert.equal(first.status, 'skipped');
      assert.equal(first.message, 'write rate: waiting for a second sample');
      assert.equal((await run('disk write > 1000 operations/s', calls)).status, 'skipped');
      await new Promise((r) => setTimeout(r, 300));
      clock.advance(1000);
      const second = await run('write > 1 kB/s', bytes);
      assert.equal(second.status, 'ok');
      assert.ok((second.value as number) > 1024, `write rate ${String(second.value)}`);
      assert.match(second.message, /^write rate of [\d.]+ [kMG]?B\/s matches resource limit \[write rate > 1\.0 kB\/s\]$/);
      const ops = await run('disk write > 1000000000 operations/s', calls);
      assert.ok((ops.value as number) > 0);
      assert.match(ops.message, /^disk write operations check succeeded \[current disk write operations = [\d.]+ operations\/s\]$/);
      assert.equal(typeof ops.observations?.['writeOperations'], 'number');
      assert.equal(typeof ops.observations?.['writeBytesGenericTotal'], 'number');
    });

    it('starts over when the pid belongs to another process', async () => {
      const state: Record<string, unknown> = { sample: { pid: writer.pid!, startTicks: 1, at: 0, io: parseIo(SAMPLE) } };
      const target: ProcessTarget = { pid: writer.pid!, stat: readStat(writer.pid!)! };
      const clock = new FakeClock();
      clock.advance(1000);
      const r = await runProbe(ioTest, { options: parseTest(ioTest, 'read > 1 MB/s').options, target, clock, state });
      assert.equal(r.result.status, 'skipped');
      assert.equal((await runProbe(ioTest, { options: parseTest(ioTest, 'read > 1 MB/s').options, target: {}, clock })).result.status, 'skipped');
    });
  });
});
