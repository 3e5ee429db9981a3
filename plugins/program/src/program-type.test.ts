import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isParseError, nodeStat, type ObserveContext, type Spawner, type SpawnResult } from '@warden/sdk';
import { CapturedLogger, FakeClock, observeOnce, parseTarget, testCycle } from '@warden/sdk/testing';
import { programService } from './program-type.js';
import { settle } from './test-programs.js';
import type { ProgramState } from './runner.js';
import type { ProgramOptions } from './target.js';

/** Wait (bounded) until the state's run in progress has settled. */

describe('program service type', () => {
  let dir: string;
  const script = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-program-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('parseTarget', () => {
    it('reads a quoted command with arguments, ids and a timeout', () => {
      const prog = script('check.sh', 'exit 0');
      const options = parseTarget(programService, `with path "${prog} -q 'two words'" as uid 1000 and gid 100 with timeout 60 seconds`);
      assert.deepEqual(options, { command: `${prog} -q 'two words'`, argv: [prog, '-q', 'two words'], uid: 1000, gid: 100, timeoutMs: 60_000 });
    });

    it('reads a bare absolute path and defaults the timeout to 300 s', () => {
      const prog = script('bare.sh', 'exit 0');
      assert.deepEqual(parseTarget(programService, `path ${prog}`), { command: prog, argv: [prog], timeoutMs: 300_000 });
    });

    it('refuses a program that does not exist, in Monit\'s words (S21)', () => {
      assert.throws(() => parseTarget(programService, `with path "${dir}/nope.sh -x"`), (err: unknown) => {
        assert.ok(isParseError(err));
        assert.equal(err.message, `Program does not exist: '${dir}/nope.sh'\nA 'check program' statement requires the program to exist '${dir}/nope.sh'`);
        assert.equal(err.line, 1);
        return true;
      });
    });

    it('refuses a relative bare path, a zero timeout and a user name', () => {
      assert.throws(() => parseTarget(programService, 'with path check.sh'), /syntax error 'check.sh', expected an absolute path/);
      const prog = script('t.sh', 'exit 0');
      assert.throws(() => parseTarget(programService, `path ${prog} with timeout 0 seconds`), /expected a timeout greater than 0/);
      assert.throws(() => parseTarget(programService, `path ${prog} as uid nobody`), /syntax error 'nobody', expected a numeric uid/);
    });

    it('describes itself by its quoted command', () => {
      assert.equal(programService.describe?.({ command: '/bin/x -q', argv: ['/bin/x', '-q'], timeoutMs: 1 }), '"/bin/x -q"');
    });
  });

  describe('observe', () => {
    it('starts the program in one cycle and hands its result to the next (Monit R6)', async () => {
      const prog = script('fail.sh', 'echo "out $MONIT_SERVICE $WARDEN_SERVICE"; echo err >&2; exit 2');
      const options = parseTarget(programService, `path ${prog}`);
      const first = await observeOnce(programService, options, { clock: new FakeClock(1_000) });
      assert.deepEqual(first.target, { result: undefined, running: true, timeoutMs: 300_000 });
      assert.deepEqual(first.log.messages('debug'), ['program started']);
      await settle(first.state);

      const second = await observeOnce(programService, options, { state: first.state });
      assert.equal(second.target?.result?.status, 2);
      assert.equal(second.target?.result?.output, 'err\nout test test\n');
      assert.equal(second.target?.startedAt, 1_000);
      // Collecting a result starts the next run straight away.
      assert.deepEqual(second.log.messages('debug'), ['program started']);

      const third = await observeOnce(programService, options, { state: first.state });
      assert.equal(third.target?.result, undefined, 'a result is reported in one cycle only');
      await settle(first.state);
    });

    it('does not start a second run while the first is still going', async () => {
      const runs = join(dir, 'runs');
      const prog = script('slow.sh', `echo run >> ${runs}; sleep 0.5`);
      const options = parseTarget(programService, `path ${prog}`);
      const first = await observeOnce(programService, options);
      await new Promise((r) => setTimeout(r, 100));
      const second = await observeOnce(programService, options, { state: first.state });
      assert.deepEqual(second.target, { result: undefined, running: true, timeoutMs: 300_000 });
      assert.deepEqual(second.log.messages(), []);
      await settle(first.state);
      assert.equal(readFileSync(runs, 'utf8'), 'run\n');
    });

    it('kills a program that outlives its timeout and says so when collecting', async function () {
      this.timeout(10_000);
      // `exec` so the shell does not leave `sleep` behind holding the output pipe.
      const prog = script('hang.sh', 'echo started; exec sleep 5');
      const options = parseTarget(programService, `path ${prog} with timeout 1 second`);
      const first = await observeOnce(programService, options);
      const began = Date.now();
      await settle(first.state);
      assert.ok(Date.now() - began < 4_000, 'killed well before sleep 5 ends');
      const second = await observeOnce(programService, options, { state: first.state });
      assert.equal(second.target?.result?.timedOut, true);
      assert.equal(second.target?.result?.status, null);
      assert.deepEqual(second.log.messages('error'), ['program timed out after 1 seconds']);
      first.state.controller.abort();
      await settle(first.state);
    });

    it('records a spawner that throws as a program that could not start', async () => {
      const options: ProgramOptions = { command: '/x', argv: ['/x'], timeoutMs: 1000 };
      const state = programService.init!(options);
      const throwing: Spawner = { run: () => { throw new Error('boom'); } };
      programService.observe!(context(options, state, throwing));
      await settle(state);
      assert.equal(state.last?.result.spawnError, 'boom');
    });

    it('kills the run in progress on dispose', async function () {
      this.timeout(10_000);
      const prog = script('long.sh', 'exec sleep 5');
      const options = parseTarget(programService, `path ${prog}`);
      const state = programService.init!(options);
      programService.observe!(context(options, state, abortableSpawner));
      const began = Date.now();
      await programService.dispose!(state, new CapturedLogger());
      assert.ok(Date.now() - began < 4_000, 'dispose did not wait for the program to end by itself');
      assert.equal(state.last?.result.signal, 'SIGTERM');
      // A disposed service starts nothing more.
      programService.observe!(context(options, state, abortableSpawner));
      assert.equal(state.running, undefined);
    });
  });
});

/** An observe context with a chosen spawner (observeOnce always uses the sdk's test spawner). */
function context(options: ProgramOptions, state: ProgramState, spawner: Spawner): ObserveContext<ProgramOptions, ProgramState> {
  const clock = new FakeClock();
  return {
    options,
    cycle: testCycle(),
    settings: {},
    service: { name: 'test', type: 'program' },
    signal: new AbortController().signal,
    deadline: clock.now() + 5000,
    clock,
    log: new CapturedLogger(),
    spawn: spawner,
    stat: nodeStat,
    state,
  };
}

/** A minimal spawner that honours `signal`, as core's does. */
const abortableSpawner: Spawner = {
  run: (spec) =>
    new Promise<SpawnResult>((resolve) => {
      const child = spawn(spec.argv[0]!, spec.argv.slice(1), { signal: spec.signal, stdio: 'ignore' });
      child.on('error', () => undefined);
      child.on('close', (status, signal) =>
        resolve({ pid: child.pid, status, signal, stdout: '', stderr: '', output: '', timedOut: false, durationMs: 0 }),
      );
    }),
};
