import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpawnResult } from '@warden/sdk';
import { observeOnce, parseTarget, parseTest, runProbe } from '@warden/sdk/testing';
import { programService } from './program-type.js';
import type { ProgramTarget } from './runner.js';
import { settle, twoCycles, writeScript } from './test-programs.js';
import { EXIT_STATUS_METRIC, statusTest, type StatusOptions } from './status.js';


function spawnResult(fields: Partial<SpawnResult>): SpawnResult {
  return { pid: 1, status: 0, signal: null, stdout: '', stderr: '', output: '', timedOut: false, durationMs: 1, ...fields };
}

describe('program.status', () => {
  describe('parse', () => {
    it('reads `status OP N` as a comparison', () => {
      const parsed = parseTest(statusTest, 'status != 0');
      assert.deepEqual(parsed.condition, { kind: 'compare', comparison: { op: '!=', value: 0, unit: 'none', text: '0' } });
      assert.equal(parsed.describe, 'status != 0');
      assert.equal(parseTest(statusTest, 'status greater than 2').describe, 'status > 2');
    });

    it('reads `changed status` as a change rule', () => {
      const parsed = parseTest(statusTest, 'status', { polarity: 'changed' });
      assert.deepEqual(parsed.condition, { kind: 'changed' });
      assert.deepEqual(parsed.options, {});
    });

    it('needs a number and takes no unit', () => {
      assert.throws(() => parseTest(statusTest, 'status != then'), /syntax error 'then', expected a number/);
      assert.throws(() => parseTest(statusTest, 'status > 1 MB'), /syntax error 'MB', expected the end of the test/);
    });
  });

  describe('run against real programs', () => {
    let dir: string;
    const script = (name: string, body: string): string => writeScript(dir, name, body);

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'warden-status-'));
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a failing exit status in Monit\'s words, stderr first', async () => {
      const target = await twoCycles(`path ${script('fail.sh', 'echo out; echo err >&2; exit 2')}`);
      const { options } = parseTest(statusTest, 'status != 0');
      const { result, metrics } = await runProbe(statusTest, { options, target });
      assert.equal(result.status, 'ok');
      assert.equal(result.value, 2);
      assert.equal(result.message, 'status failed (2) -- err');
      assert.deepEqual(result.observations, { exitStatus: 2, output: 'err\nout', startedAt: target.startedAt, timedOut: false });
      assert.equal(metrics.values.get(EXIT_STATUS_METRIC), 2);
    });

    it('reports a passing exit status as succeeded', async () => {
      const target = await twoCycles(`path "${script('ok.sh', 'echo all good')}"`);
      const { result } = await runProbe(statusTest, { options: parseTest(statusTest, 'status != 0').options, target });
      assert.equal(result.value, 0);
      assert.equal(result.message, 'status succeeded (0) -- all good');
    });

    it('says `no output` for a silent program', async () => {
      const target = await twoCycles(`path ${script('quiet.sh', 'exit 3')}`);
      const { result } = await runProbe(statusTest, { options: parseTest(statusTest, 'status = 3').options, target });
      assert.equal(result.message, 'status failed (3) -- no output');
    });

    it('reports a program killed at its timeout with 128 + signal and the timeout', async function () {
      this.timeout(10_000);
      const target = await twoCycles(`path ${script('hang.sh', 'exec sleep 5')} with timeout 1 s`);
      const { result } = await runProbe(statusTest, { options: parseTest(statusTest, 'status != 0').options, target });
      assert.equal(result.status, 'ok');
      assert.equal(result.value, 137);
      assert.equal(result.message, 'status failed (137) -- program timed out after 1 s, no output');
      assert.equal(result.observations?.timedOut, true);
    });

    it('is an error, not a status, when the program cannot start', async () => {
      const prog = script('gone.sh', 'exit 0');
      const options = parseTarget(programService, `path ${prog}`);
      rmSync(prog);
      const first = await observeOnce(programService, options);
      await settle(first.state);
      const second = await observeOnce(programService, options, { state: first.state });
      await settle(first.state);
      const { result } = await runProbe(statusTest, { options: {}, target: second.target! });
      assert.equal(result.status, 'error');
      assert.equal(result.code, 'program.spawn');
      assert.match(result.message, /^failed to execute -- .*ENOENT/);
    });
  });

  describe('run', () => {
    const options: StatusOptions = parseTest(statusTest, 'status != 0').options;

    it('skips while no finished result is in', async () => {
      const { result } = await runProbe(statusTest, { options, target: { running: true, timeoutMs: 1000 } });
      assert.deepEqual(result, { status: 'skipped', message: 'program not yet finished' });
    });

    it('words `changed status` like Monit and remembers the last status per rule', async () => {
      const state: Record<string, unknown> = {};
      const target = (status: number): ProgramTarget => ({ result: spawnResult({ status, output: 'x\n' }), timeoutMs: 1000 });
      const probe = async (status: number) => (await runProbe(statusTest, { options: {}, target: target(status), state })).result;
      assert.equal((await probe(0)).message, "program status didn't change [status=0] -- x");
      const changed = await probe(1);
      assert.equal(changed.message, 'program status changed (0 -> 1) -- x');
      assert.equal(changed.value, 1);
      assert.equal((await probe(1)).message, "program status didn't change [status=1] -- x");
    });

    it('uses -1 when the program ended with neither a status nor a known signal', async () => {
      const target: ProgramTarget = { result: spawnResult({ status: null }), timeoutMs: 1000 };
      assert.equal((await runProbe(statusTest, { options, target })).result.value, -1);
    });
  });
});
