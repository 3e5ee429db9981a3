import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { countFds, filedescriptorsTest, parseFdLimits, readFdLimits } from './filedescriptors.js';
import { readStat } from './proc.js';
import type { ProcessTarget } from './target.js';
import { usageTest } from './usage.js';

describe('process filedescriptors', function () {
  this.timeout(10_000);
  let shell: ChildProcess;
  before(async () => {
    // A shell with 3 more descriptors and a limit of 100, and one child inheriting them all.
    shell = spawn('/bin/sh', ['-c', 'ulimit -n 100; exec 3</dev/null 4</dev/null 5</dev/null; sleep 30; :'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
  });
  after(() => {
    shell.kill('SIGKILL');
  });

  it('parses plain, percent and total rules; total goes through the usage test\'s word', () => {
    assert.deepEqual(parseTest(filedescriptorsTest, 'filedescriptors >= 90%').options, { what: 'filedescriptors', total: false, comparison: { op: '>=', value: 90, unit: 'percent', text: '90%' } });
    const total = parseTest(usageTest, 'total filedescriptors > 1000');
    assert.deepEqual(total.options, { what: 'filedescriptors', total: true, comparison: { op: '>', value: 1000, unit: 'none', text: '1000' } });
    assert.equal(total.describe, 'total filedescriptors > 1000');
    assert.throws(() => parseTest(usageTest, 'total sockets > 5'), /syntax error/);
  });

  it('reads the open-files limits of /proc/PID/limits', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 unlimited            files\n';
    assert.deepEqual(parseFdLimits(text), { soft: 1024, hard: Infinity });
    assert.deepEqual(readFdLimits(shell.pid!), { soft: 100, hard: 100 });
    assert.equal(countFds(4_194_000), undefined);
  });

  it('counts the process\'s descriptors, as a number, a percent of its limit, and over its tree', async () => {
    const pid = shell.pid!;
    const target: ProcessTarget = { pid, stat: readStat(pid)! };
    const own = countFds(pid)!;
    assert.ok(own >= 6, `stdio and 3, 4, 5 are open: ${own}`);
    const run = async (def: typeof filedescriptorsTest | typeof usageTest, text: string) =>
      (await runProbe(def as typeof filedescriptorsTest, { options: parseTest(def as typeof filedescriptorsTest, text).options, target, cycle: testCycle() })).result;
    const plain = await run(filedescriptorsTest, 'filedescriptors > 5');
    assert.equal(plain.value, own);
    assert.equal(plain.message, `filedescriptors of ${own} matches resource limit [filedescriptors > 5]`);
    assert.deepEqual(plain.observations, { fdOpen: own, fdSoftLimit: 100, fdHardLimit: 100 });
    const pct = await run(filedescriptorsTest, 'filedescriptors >= 90%');
    assert.equal(pct.value, own);
    assert.equal(pct.message, `filedescriptors check succeeded [current filedescriptors = ${own} (${own.toFixed(1)}% of 100 limit)]`);
    const total = await run(usageTest, 'total filedescriptors > 1000');
    assert.equal(total.value, 2 * own, 'sleep inherited every descriptor of the shell');
    assert.equal(total.observations?.['fdOpenTotal'], 2 * own);
    assert.equal((await runProbe(filedescriptorsTest, { options: parseTest(filedescriptorsTest, 'filedescriptors > 5').options, target: {} })).result.status, 'skipped');
  });
});
