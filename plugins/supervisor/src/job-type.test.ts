import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeStat, type SpawnedProcess, type SpawnResult, type Spawner } from '@warden/sdk';
import { CapturedLogger, parseTarget, parseTest, runProbe, testCycle } from '@warden/sdk/testing';
import { jobExistTest } from './exist.js';
import type { JobOptions } from './job-options.js';
import { jobService, type JobTarget } from './job-type.js';
import type { JobState } from './job-state.js';

/** Just enough of core's spawner to start real processes (own process group, exit event). */
const realStart: Spawner = {
  run: () => Promise.reject(new Error('not used')),
  start(spec): SpawnedProcess {
    const child = spawn(spec.argv[0]!, spec.argv.slice(1), { detached: true, stdio: 'ignore', env: { ...process.env, ...spec.env } });
    const exited = new Promise<SpawnResult>((resolve) => child.on('exit', (status, signal) => resolve({
      pid: child.pid, status, signal, stdout: '', stderr: '', output: '', timedOut: false, durationMs: 0,
    })));
    return { pid: child.pid, exited, kill: (sig) => { try { process.kill(-child.pid!, sig ?? 'SIGTERM'); return true; } catch { return false; } } };
  },
};

const job = (o: Partial<JobOptions>): JobOptions => ({
  name: 'a', argv: ['/bin/sleep', '30'], env: [], ulimits: [], depends: [], disabled: false, wait: false, once: false, order: 0, graceMs: 300, ...o,
});

async function observe(state: JobState, settings: Record<string, unknown>, log = new CapturedLogger()): Promise<JobTarget> {
  return jobService.observe!({
    options: state.options, service: { name: state.options.name, type: 'job' }, signal: new AbortController().signal,
    deadline: Date.now() + 5000, clock: { now: Date.now, monotonic: () => performance.now() }, log, spawn: realStart, stat: nodeStat, state, cycle: testCycle(), settings,
  });
}

describe('service type job', function () {
  this.timeout(10_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-job-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses `check job` with command, directory, uid, gid, env, order and once', () => {
    const o = parseTarget(jobService, 'with command "/bin/sh -c \'sleep 1\'" in directory /tmp as uid nobody and gid 65534 env "A=1" env "B=2" order 3 once', 'web');
    assert.deepEqual(o, {
      name: 'web', argv: ['/bin/sh', '-c', 'sleep 1'], env: ['A=1', 'B=2'], ulimits: [], depends: [], disabled: false, wait: false,
      once: true, order: 3, dir: '/tmp', user: 'nobody', gid: 65534,
    });
    assert.throws(() => parseTarget(jobService, 'with command "/bin/true" env "NOEQUALS"'), /environment string must be VAR=VALUE/);
  });

  it('starts on the first observe, restarts at once after a long run, stops for good on exit 33 and once', async () => {
    const settings = {};
    const s = jobService.init!(job({ name: 'loop' }));
    const log = new CapturedLogger();
    const t = await observe(s, settings, log);
    assert.equal(t.running, true);
    const pid = t.pid!;
    s.startedAt = Date.now() - 20_000; // it "ran" 20 s: no backoff
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && (s.proc === undefined || s.proc.pid === pid); i++) await sleep(10);
    assert.notEqual(s.proc?.pid, pid, 'restarted');
    assert.equal(s.restarts, 1);
    assert.match(log.lines.map((l) => l.message).join('\n'), /job loop \[\d+\] exited after 20 sec: signal 9/);

    const ex = jobService.init!(job({ name: 'ex33', argv: ['/bin/sh', '-c', 'exit 33'] }));
    await observe(ex, settings);
    const once = jobService.init!(job({ name: 'once', argv: ['/bin/true'], once: true }));
    await observe(once, settings);
    for (let i = 0; i < 100 && !(ex.done && once.done); i++) await sleep(10);
    assert.equal(ex.done && once.done, true);
    assert.equal((await observe(ex, settings)).phase, 'done');
    const probe = await runProbe(jobExistTest, { options: {}, target: await observe(once, settings) });
    assert.equal(probe.result.status, 'ok');
    await Promise.all([s, ex, once].map((x) => jobService.dispose!(x, log)));
    assert.equal(s.proc, undefined);
  });

  it('holds later jobs until a wait job finished', async () => {
    const settings = {};
    const w = jobService.init!(job({ name: 'setup', argv: ['/bin/sh', '-c', `sleep 0.3; touch ${join(dir, 'done')}`], wait: true, once: true }));
    const later = jobService.init!(job({ name: 'later' }));
    await observe(w, settings);
    assert.equal((await observe(later, settings)).phase, 'waiting');
    for (let i = 0; i < 200 && !later.proc; i++) await sleep(10);
    assert.ok(later.proc, 'started after the wait job');
    assert.ok(readFileSync(join(dir, 'done')));
    await jobService.dispose!(later, new CapturedLogger());
    await jobService.dispose!(w, new CapturedLogger());
  });

  it('keeps an unchanged job on adopt', () => {
    const s = jobService.init!(job({}));
    assert.equal(jobService.adopt!(s, job({})), s);
  });

  it('if does not exist: fails when the job should run but does not', async () => {
    const parsed = parseTest(jobExistTest, 'not exist');
    const target: JobTarget = { name: 'a', pid: undefined, running: false, restarts: 2, lastExit: { status: 1, signal: null, at: 0, uptimeMs: 10 }, phase: 'backoff' };
    const r = await runProbe(jobExistTest, { options: parsed.options, target });
    assert.equal(r.result.status, 'failed');
    assert.match(r.result.message, /job is not running -- last exit: status 1/);
  });
});
