import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isParseError, type ActionContext, type Spawner, type SpawnResult } from '@warden/sdk';
import { CapturedLogger, FakeClock, parseAction } from '@warden/sdk/testing';
import { execAction, EXEC_TIMEOUT_MS, type ExecOptions } from './exec.js';
import { groupId, userId } from '@warden/sdk';

/**
 * A spawner that honours uid, gid, env and signal the way core's does (the sdk's
 * test spawner ignores uid and gid) and records the specs it was given.
 */
function idSpawner(specs: unknown[] = []): Spawner {
  return {
    run: (spec) =>
      new Promise<SpawnResult>((resolve) => {
        specs.push(spec);
        const child = spawn(spec.argv[0]!, spec.argv.slice(1), {
          env: { ...process.env, ...spec.env },
          uid: spec.uid,
          gid: spec.gid,
          signal: spec.signal,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        let spawnError: string | undefined;
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', (err) => (spawnError = err.message));
        child.on('close', (status, signal) =>
          resolve({
            pid: child.pid, status, signal, stdout, stderr, output: stderr + stdout, timedOut: false, durationMs: 0,
            ...(spawnError === undefined ? {} : { spawnError }),
          }),
        );
      }),
  };
}

function context(options: ExecOptions, spawner: Spawner, log = new CapturedLogger()): ActionContext<ExecOptions> {
  const clock = new FakeClock();
  return {
    options,
    settings: {},
    event: {
      type: 'nonexist', state: 'failed', text: 'Does not exist', description: 'file doesn\'t exist',
      service: 'web', date: clock.now(), action: 'exec',
    },
    service: { name: 'web', type: 'file' },
    signal: new AbortController().signal,
    clock,
    log,
    spawn: spawner,
    env: { MONIT_SERVICE: 'web', MONIT_EVENT: 'Does not exist', WARDEN_SERVICE: 'web' },
  };
}

describe('exec action', () => {
  describe('parse', () => {
    it('reads a quoted command split into argv', () => {
      assert.deepEqual(parseAction(execAction, `"/bin/sh -c 'echo hi'"`), { command: "/bin/sh -c 'echo hi'", argv: ['/bin/sh', '-c', 'echo hi'] });
      assert.deepEqual(parseAction(execAction, `'/usr/bin/pkill vmware'`).argv, ['/usr/bin/pkill', 'vmware']);
    });

    it('reads numeric ids with or without the noise words', () => {
      assert.deepEqual(parseAction(execAction, '"/bin/notify" as uid 99 and gid 98'), { command: '/bin/notify', argv: ['/bin/notify'], uid: 99, gid: 98 });
      assert.equal(parseAction(execAction, '"/bin/notify" gid 7').gid, 7);
    });

    it('resolves user and group names from the system files', () => {
      const options = parseAction(execAction, '"/bin/notify" as uid root and gid "root"');
      assert.equal(options.uid, 0);
      assert.equal(options.gid, 0);
    });

    it('refuses an unknown user or group in Monit\'s words (T20)', () => {
      assert.throws(() => parseAction(execAction, '"/bin/true" as uid nosuchuser'), (err: unknown) => {
        assert.ok(isParseError(err));
        assert.equal(err.message, "Requested user not found on the system 'nosuchuser'");
        return true;
      });
      assert.throws(() => parseAction(execAction, '"/bin/true" gid nosuchgroup'), /Requested group not found on the system 'nosuchgroup'/);
    });

    it('needs a command', () => {
      assert.throws(() => parseAction(execAction, 'then'), /syntax error 'then', expected an absolute path/);
      assert.throws(() => parseAction(execAction, '""'), /syntax error '""', expected a command/);
    });

    it('leaves `repeat every N cycles` to core', () => {
      assert.throws(() => parseAction(execAction, '"/bin/true" repeat every 2 cycles'), /syntax error 'repeat', expected the end of the action/);
    });

    it('describes itself as exec "CMD"', () => {
      assert.equal(execAction.describe?.({ command: '/bin/x -y', argv: ['/bin/x', '-y'] }), 'exec "/bin/x -y"');
    });
  });

  describe('run', () => {
    let dir: string;
    const script = (name: string, body: string): string => {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
      return path;
    };

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'warden-exec-'));
      chmodSync(dir, 0o755); // so a program run as nobody can reach its script
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    it('runs the program with the event\'s environment and logs it like Monit', async () => {
      const out = join(dir, 'hook.out');
      const hook = script('hook.sh', `echo "$MONIT_SERVICE|$MONIT_EVENT|$(id -u)" > ${out}`);
      const specs: unknown[] = [];
      const log = new CapturedLogger();
      const result = await execAction.run(context(parseAction(execAction, `"${hook}"`), idSpawner(specs), log));
      assert.deepEqual(result, { status: 'done', message: `exec: '${hook}'` });
      assert.equal(readFileSync(out, 'utf8'), `web|Does not exist|${process.getuid!()}\n`);
      assert.deepEqual(log.messages('info'), [`exec: '${hook}'`]);
      assert.equal((specs[0] as { timeoutMs: number }).timeoutMs, EXEC_TIMEOUT_MS);
    });

    it('reports the first line of the program\'s output when it succeeds', async () => {
      const hook = script('talk.sh', 'echo "all good: 42"; echo second line');
      const result = await execAction.run(context(parseAction(execAction, `"${hook}"`), idSpawner()));
      assert.deepEqual(result, { status: 'done', message: `exec: '${hook}' -- all good: 42` });
    });

    it('switches to another user and group when asked', async function () {
      if (process.getuid?.() !== 0) this.skip();
      const nobody = userId('nobody');
      const nogroup = groupId('nogroup') ?? groupId('nobody');
      if (nobody === undefined || nogroup === undefined) this.skip();
      const out = join(dir, 'ids.out');
      writeFileSync(out, '');
      chmodSync(out, 0o666);
      const hook = script('ids.sh', `echo "$(id -u) $(id -g) $MONIT_SERVICE" > ${out}`);
      const options = parseAction(execAction, `"${hook}" as uid nobody and gid ${nogroup}`);
      const result = await execAction.run(context(options, idSpawner()));
      assert.equal(result.status, 'done');
      assert.equal(readFileSync(out, 'utf8'), `${nobody} ${nogroup} web\n`);
    });

    it('fails with the exit status and the first line of output', async () => {
      const hook = script('fail.sh', 'echo "first problem" >&2; echo more; exit 3');
      const result = await execAction.run(context(parseAction(execAction, `"${hook} arg"`), idSpawner()));
      assert.deepEqual(result, { status: 'failed', message: `exec: '${hook} arg' failed with exit status 3 -- first problem` });
    });

    it('fails when the program cannot start', async () => {
      const result = await execAction.run(context(parseAction(execAction, `"${dir}/missing.sh"`), idSpawner()));
      assert.equal(result.status, 'failed');
      assert.match(result.message, /^exec: '.*missing.sh' failed -- .*ENOENT/);
    });

    it('reports a killed program and a spawner that throws as failures, never throwing', async () => {
      const killed: Spawner = { run: async () => ({ pid: 1, status: null, signal: 'SIGTERM', stdout: '', stderr: '', output: '', timedOut: false, durationMs: 1 }) };
      const timedOut: Spawner = { run: async () => ({ pid: 1, status: null, signal: 'SIGKILL', stdout: 'partial\n', stderr: '', output: 'partial\n', timedOut: true, durationMs: 1 }) };
      const throwing: Spawner = { run: () => Promise.reject(new Error('EPERM')) };
      const options: ExecOptions = { command: '/x', argv: ['/x'] };
      assert.deepEqual(await execAction.run(context(options, killed)), { status: 'failed', message: "exec: '/x' killed by SIGTERM" });
      assert.deepEqual(await execAction.run(context(options, timedOut)), { status: 'failed', message: "exec: '/x' timed out after 300 s -- partial" });
      assert.deepEqual(await execAction.run(context(options, throwing)), { status: 'failed', message: "exec: '/x' failed -- EPERM" });
    });
  });
});
