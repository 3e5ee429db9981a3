import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { FakeClock, parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { childrenTest } from './children.js';
import { existTest } from './exist.js';
import { pidTest } from './pid.js';
import { readStat } from './proc.js';
import type { ProcessTarget } from './target.js';
import { threadsTest } from './threads.js';
import { uptimeTest } from './uptime.js';
import { usageTest } from './usage.js';

const stat = { pid: 50, ppid: 1, state: 'S', cpuTicks: 0, threads: 3, startTicks: 0, rss: 100 * 1024 * 1024 };
const up: ProcessTarget = { pid: 50, stat, cpuPercent: 75, memTotal: 1000 * 1024 * 1024, uptimeSeconds: 90 };
const down: ProcessTarget = { reason: 'pidfile /x does not exist' };

describe('process rules: parsing', () => {
  it('reads every spelling of the usage rules', () => {
    assert.deepEqual(parseTest(usageTest, 'cpu > 50%').options, { what: 'cpu', total: false, comparison: { op: '>', value: 50, unit: 'percent', text: '50%' } });
    assert.equal(parseTest(usageTest, 'cpu usage > 50%').describe, 'cpu > 50%');
    assert.equal(parseTest(usageTest, 'total cpu > 50%').describe, 'total cpu > 50%');
    assert.equal(parseTest(usageTest, 'totalcpu > 50%').options.total, true);
    assert.equal(parseTest(usageTest, 'memory usage > 200 MB').options.comparison.value, 200 * 1024 * 1024);
    assert.equal(parseTest(usageTest, 'mem > 5%').options.comparison.unit, 'percent');
    assert.equal(parseTest(usageTest, 'totalmem > 50 MB').describe, 'total memory > 50 MB');
    assert.equal(parseTest(usageTest, 'total memory > 50 MB').options.total, true);
    assert.throws(() => parseTest(usageTest, 'total swap > 5%'));
  });

  it('reads exist, changed pid/ppid, uptime, children and threads', () => {
    assert.equal(parseTest(existTest, 'not exist').event, 'nonexist');
    assert.deepEqual(parseTest(existTest, 'exist').condition, { kind: 'state', invert: true });
    assert.equal(parseTest(pidTest, 'ppid', { polarity: 'changed' }).event, 'ppid');
    assert.equal(parseTest(uptimeTest, 'uptime > 3 days').options.comparison.value, 3 * 86_400_000);
    assert.equal(parseTest(childrenTest, 'children > 250').options.comparison.value, 250);
    assert.equal(parseTest(threadsTest, 'threads > 100').describe, 'threads > 100');
  });
});

describe('process rules: which rest while the process is quiet', () => {
  it('steady: what reads the target alone; not what reads the clock, the process table or /proc', () => {
    const steady = (test: { steady?: (o: never) => boolean }, text: string, polarity?: 'changed') =>
      test.steady?.(parseTest(test as never, text, polarity ? { polarity } : undefined).options as never) === true;
    assert.equal(steady(existTest, 'not exist'), true);
    assert.equal(steady(usageTest, 'cpu > 50%'), true);
    assert.equal(steady(usageTest, 'memory > 50 MB'), true);
    assert.equal(steady(threadsTest, 'threads > 100'), true);
    assert.equal(steady(pidTest, 'pid', 'changed'), true);
    assert.equal(steady(usageTest, 'total cpu > 50%'), false);
    assert.equal(steady(usageTest, 'totalmem > 50 MB'), false);
    assert.equal(steady(usageTest, 'total filedescriptors > 50'), false);
    assert.equal(steady(uptimeTest, 'uptime > 3 days'), false);
    assert.equal(steady(childrenTest, 'children > 250'), false);
  });
});

describe('process rules: probes', () => {
  const probe = async <O>(def: Parameters<typeof runProbe<O, ProcessTarget>>[0], text: string, target: ProcessTarget, extra: Partial<Parameters<typeof runProbe<O, ProcessTarget>>[1]> = {}) =>
    (await runProbe(def, { options: parseTest(def, text).options, target, ...extra })).result;

  it('exists with a pid, fails without, in Monit\'s words', async () => {
    assert.equal((await probe(existTest, 'not exist', up)).message, 'process is running with pid 50');
    const r = await probe(existTest, 'not exist', down);
    assert.equal(r.status, 'failed');
    assert.equal(r.message, 'process is not running');
  });

  it('reports usage values and Monit\'s resource wording, skipped without a process', async () => {
    const cpu = await probe(usageTest, 'cpu > 50%', up);
    assert.equal(cpu.value, 75);
    assert.equal(cpu.message, 'cpu usage of 75.0% matches resource limit [cpu usage > 50.0%]');
    assert.equal((await probe(usageTest, 'cpu > 50%', { ...up, cpuPercent: undefined } as ProcessTarget)).status, 'skipped');
    const mem = await probe(usageTest, 'memory > 200 MB', up);
    assert.equal(mem.message, 'mem amount check succeeded [current mem amount = 100.0 MB]');
    assert.equal((await probe(usageTest, 'mem > 5%', up)).value, 10);
    assert.equal((await probe(usageTest, 'cpu > 50%', down)).status, 'skipped');
    assert.equal((await probe(threadsTest, 'threads > 2', up)).message, 'threads of 3 matches resource limit [threads > 2]');
    assert.equal((await probe(uptimeTest, 'uptime > 1 minute', up)).value, 90_000);
  });

  it('changed pid keeps the last pid for its message', async () => {
    const state: Record<string, unknown> = {};
    const opts = { options: parseTest(pidTest, 'pid', { polarity: 'changed' }).options, state };
    assert.equal((await runProbe(pidTest, { ...opts, target: up })).result.message, 'process PID has not changed since last cycle');
    const moved = await runProbe(pidTest, { ...opts, target: { ...up, pid: 51 } });
    assert.equal(moved.result.message, 'process PID changed from 50 to 51');
    assert.equal(moved.result.value, 51);
  });

  describe('on a real tree', function () {
    this.timeout(10_000);
    let busy: ChildProcess;
    before(async () => {
      busy = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30 & while :; do :; done'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 200));
    });
    after(() => {
      busy.kill('SIGKILL');
    });

    it('counts children and total memory over the whole tree', async () => {
      const target: ProcessTarget = { pid: busy.pid!, stat: readStat(busy.pid!)!, memTotal: 1e12 };
      const kids = await probe(childrenTest, 'children > 1', target, { cycle: testCycle() });
      assert.equal(kids.value, 2);
      const total = await probe(usageTest, 'totalmem > 1 GB', target, { cycle: testCycle() });
      assert.ok((total.value as number) > target.stat!.rss, 'the children add to the total');
    });

    it('measures total cpu between two samples of the tree', async () => {
      const clock = new FakeClock();
      const state: Record<string, unknown> = {};
      const target: ProcessTarget = { pid: busy.pid!, stat: readStat(busy.pid!)! };
      const options = parseTest(usageTest, 'total cpu > 30%').options;
      assert.equal((await runProbe(usageTest, { options, target, clock, state, cycle: testCycle() })).result.status, 'skipped');
      await new Promise((r) => setTimeout(r, 700));
      clock.advance(700);
      const second = (await runProbe(usageTest, { options, target, clock, state, cycle: testCycle() })).result;
      assert.ok((second.value as number) > 30, `total cpu ${String(second.value)}%`);
    });
  });
});
