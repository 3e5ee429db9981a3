import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { FakeClock, observeOnce, parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { cpuTest } from './cpu.js';
import { filedescriptorsTest } from './filedescriptors.js';
import { loadavgTest } from './loadavg.js';
import { memoryTest, swapTest } from './memory.js';
import { systemService } from './system-type.js';
import type { SystemTarget } from './target.js';
import { uptimeTest } from './uptime.js';

describe('system rule parsing', () => {
  it('reads loadavg windows and per core', () => {
    assert.deepEqual(parseTest(loadavgTest, 'loadavg > 2').options, { minutes: 1, perCore: false, comparison: { op: '>', value: 2, unit: 'none', text: '2' } });
    assert.equal(parseTest(loadavgTest, 'loadavg (5min) per core > 1.5').describe, 'loadavg (5min) per core > 1.5');
    assert.equal(parseTest(loadavgTest, 'loadavg (15m) gt 4').options.minutes, 15);
    assert.throws(() => parseTest(loadavgTest, 'loadavg (2min) > 4'), /syntax error '2', expected 1min, 5min or 15min/);
  });

  it('judges loadavg inside a process service too: the machine\'s load, read once per cycle, exported only by the system', async () => {
    const cycle = testCycle(1);
    // The cycle's one read of /proc/loadavg, primed so the figures are known.
    cycle.memoSync('system:loadavg', () => [0.5, 1.25, 2] as const);
    const run = (text: string) => runProbe(loadavgTest, { options: parseTest(loadavgTest, text).options, target: {}, cycle, service: { name: 'nginx', type: 'process' } });
    const calm = await run('loadavg (5min) > 1000');
    assert.equal(calm.result.message, 'loadavg (5min) check succeeded [current loadavg (5min) = 1.3]');
    assert.equal(calm.result.value, 1.25);
    assert.equal(calm.metrics.values.size, 0, 'no node_load series per process service');
    const busy = await run('loadavg (15min) per core >= 0');
    assert.match(busy.result.message, /^loadavg \(15min\) per core of [\d.]+ matches resource limit \[loadavg \(15min\) per core >= 0\.0\]$/);
    const real = await runProbe(loadavgTest, { options: parseTest(loadavgTest, 'loadavg (1min) > 1000').options, target: {}, service: { name: 'p', type: 'process' } });
    assert.ok((real.result.value as number) >= 0, real.result.message);
  });

  it('reads cpu parts in every spelling, memory and swap in % or bytes, uptime and filedescriptors', () => {
    assert.equal(parseTest(cpuTest, 'cpu (wa) > 20%').options.part, 'wait');
    assert.equal(parseTest(cpuTest, 'cpu usr > 20%').describe, 'cpu usage (user) > 20%');
    assert.equal(parseTest(cpuTest, 'cpu > 90%').options.part, 'total');
    assert.throws(() => parseTest(cpuTest, 'cpu > 90'), /expected a unit \(percent\)/);
    assert.equal(parseTest(memoryTest, 'mem > 200 MB').options.comparison.value, 200 * 1024 * 1024);
    assert.equal(parseTest(swapTest, 'swap > 25%').describe, 'swap usage > 25%');
    assert.equal(parseTest(uptimeTest, 'uptime > 3 days').options.comparison.value, 3 * 86_400_000);
    assert.equal(parseTest(filedescriptorsTest, 'filedescriptors >= 90%').options.comparison.unit, 'percent');
  });

  it('takes no header and describes itself by the host name', () => {
    assert.deepEqual(systemService.keywords, ['system']);
    assert.equal(typeof systemService.describe?.({}), 'string');
  });
});

describe('system against the real /proc', function () {
  this.timeout(10_000);
  const probe = async <O>(def: Parameters<typeof runProbe<O, SystemTarget>>[0], text: string, target: SystemTarget) =>
    (await runProbe(def, { options: parseTest(def, text).options, target, service: { name: 'mrtest', type: 'system' } })).result;

  it('reads load, memory, swap, uptime and file handles in one observe; cpu from the second cycle', async () => {
    const clock = new FakeClock();
    const first = await observeOnce(systemService, {}, { clock, cycle: testCycle(1) });
    const t1 = first.target!;
    assert.equal(t1.cpu, undefined);
    assert.deepEqual(await probe(cpuTest, 'cpu (user) > 99%', t1), { status: 'skipped', message: 'cpu user usage check skipped (initializing)' });
    assert.match((await probe(loadavgTest, 'loadavg (1min) > 500', t1)).message, /^loadavg \(1min\) check succeeded \[current loadavg \(1min\) = \d+\.\d\]$/);
    assert.match((await probe(memoryTest, 'memory usage > 100%', t1)).message, /^mem usage check succeeded \[current mem usage = \d+\.\d%\]$/);
    assert.match((await probe(memoryTest, 'memory > 1 kB', t1)).message, /^mem amount of [\d.]+ [kMG]B matches resource limit \[mem amount > 1\.0 kB\]$/);
    assert.match((await probe(swapTest, 'swap > 101%', t1)).message, /^swap usage check succeeded/);
    const up = await probe(uptimeTest, 'uptime < 1 s', t1);
    assert.match(up.message, /^uptime test succeeded \[current uptime = \d+ seconds\]$/);
    assert.match((await probe(uptimeTest, 'uptime > 1 s', t1)).message, /^uptime test failed for mrtest -- current uptime is \d+ seconds$/);
    assert.match((await probe(filedescriptorsTest, 'filedescriptors > 0', t1)).message, /^filedescriptors usage of \d+ matches resource limit \[filedescriptors usage > 0\]$/);
    await new Promise((r) => setTimeout(r, 100));
    const second = await observeOnce(systemService, {}, { clock, state: first.state, cycle: testCycle(2) });
    const cpu = await probe(cpuTest, 'cpu > 101%', second.target!);
    assert.match(cpu.message, /^cpu usage check succeeded \[current cpu usage = \d+\.\d%\]$/);
  });

  it('sees two busy loops as user CPU', async function () {
    this.timeout(15_000);
    const children = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    try {
      await new Promise((r) => setTimeout(r, 300));
      const first = await observeOnce(systemService, {});
      await new Promise((r) => setTimeout(r, 1000));
      const second = await observeOnce(systemService, {}, { state: first.state });
      // Two loops keep two CPUs busy: 200% / cores of all CPU time; ask for half of that.
      const threshold = Math.floor(Math.min(40, 100 / cpus().length));
      const user = await probe(cpuTest, `cpu (user) > ${threshold}%`, second.target!);
      assert.ok((user.value as number) > threshold, user.message);
      assert.match(user.message, new RegExp(`^cpu user usage of \\d+\\.\\d% matches resource limit \\[cpu user usage > ${threshold}\\.0%\\]$`));
    } finally {
      for (const c of children) c.kill('SIGKILL');
    }
  });
});
