import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { loadavgTest, parseLoadavg } from './loadavg.js';
import type { ProcessTarget } from './target.js';

describe('loadavg inside a process service', () => {
  it('reads every window and per core', () => {
    assert.deepEqual(parseTest(loadavgTest, 'loadavg (5min) per core > 1.5').options, { minutes: 5, perCore: true, comparison: { op: '>', value: 1.5, unit: 'none', text: '1.5' } });
    assert.equal(parseTest(loadavgTest, 'loadavg (1m) > 4').options.minutes, 1);
    assert.equal(parseTest(loadavgTest, 'loadavg (5m) > 8').describe, 'loadavg (5min) > 8');
    assert.equal(parseTest(loadavgTest, 'loadavg > 3').options.minutes, 1);
    assert.throws(() => parseTest(loadavgTest, 'loadavg (2min) > 3'), /syntax error/);
  });

  it("judges the machine's load, whether or not the process runs", async () => {
    assert.deepEqual(parseLoadavg('0.50 1.25 2.00 1/123 4567\n'), [0.5, 1.25, 2]);
    assert.equal(parseLoadavg('x'), undefined);
    const real = await runProbe(loadavgTest, { options: parseTest(loadavgTest, 'loadavg (15min) > 1000').options, target: {} });
    assert.equal(real.result.status, 'ok');
    assert.ok((real.result.value as number) >= 0 && parseLoadavg(readFileSync('/proc/loadavg', 'latin1')) !== undefined);
    // The cycle's one read of /proc/loadavg, primed so the figures are known.
    const cycle = testCycle();
    await cycle.memo('process:loadavg', () => '0.50 1.25 2.00 1/123 4567\n');
    const run = async (text: string, target: ProcessTarget = {}) => (await runProbe(loadavgTest, { options: parseTest(loadavgTest, text).options, target, cycle })).result;
    const r = await run('loadavg (5min) > 1000');
    assert.equal(r.value, 1.25);
    assert.equal(r.message, 'loadavg (5min) check succeeded [current loadavg (5min) = 1.3]');
    assert.deepEqual(r.observations, { load1: 0.5, load5: 1.25, load15: 2 });
    const perCore = await run('loadavg (5min) per core >= 0', { pid: 1 });
    assert.equal(perCore.value, 1.25 / availableParallelism());
    assert.match(perCore.message, /^loadavg \(5min\) per core of [\d.]+ matches resource limit \[loadavg \(5min\) per core >= 0\.0\]$/);
  });
});
