// check process with real daemons: pidfiles, kill -9, cpu, memory, children, restart limits,
// depends, passive mode, the state file, bad input, and every CLI command against the daemon.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, readText, startWarden, stopChild, tempDir, waitFor, warden, writeControlFile } from './harness.mjs';
import { daemonScripts, freePort, killByDir, killGroups, pidIn, running } from './process-helpers.mjs';

describe('check process', function () {
  this.timeout(60_000);
  let t;
  let handles;
  let extra;
  beforeEach(() => {
    t = tempDir();
    handles = [];
    extra = [];
  });
  afterEach(async () => {
    for (const h of handles) await stopChild(h, 'SIGKILL');
    const pids = readdirSync(t.dir).filter((f) => f.endsWith('.pid') && f !== 'warden.pid').map((f) => pidIn(join(t.dir, f))).filter(Boolean);
    killGroups([...pids, ...extra]);
    await new Promise((r) => setTimeout(r, 100)); // a start script the daemon ran as it stopped
    killByDir(t.dir);
    if (process.env.KEEP_LOG) console.log(logText());
    t.cleanup();
  });
  const logText = () => readText(join(t.dir, 'warden.log'));
  const base = (interval, lines, httpPort) => [
    `set daemon ${interval}`,
    `set log ${join(t.dir, 'warden.log')}`,
    `set pidfile ${join(t.dir, 'warden.pid')}`,
    `set idfile ${join(t.dir, 'warden.id')}`,
    `set statefile ${join(t.dir, 'warden.state')}`,
    ...(httpPort ? [`set httpd port ${httpPort} and use address 127.0.0.1`, '  allow 127.0.0.1', '  allow admin:"secret"'] : []),
    ...lines,
    '',
  ].join('\n');
  const run = (text) => {
    const file = writeControlFile(join(t.dir, 'monitrc'), text);
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    return { file, h };
  };
  const service = (name, s, rules = []) => [
    `check process ${name} with pidfile ${s.pidfile}`,
    `  start program = "${s.start}" with timeout 5 seconds`,
    `  stop program = "${s.stop}"`,
    ...rules.map((r) => `  ${r}`),
  ];

  it('restarts a process killed with -9 long before the next cycle, logged in Monit\'s words', async () => {
    const s = daemonScripts(t.dir, 'dummy', 'sleep 1000 & wait');
    run(base(10, service('dummy', s, ['if changed pid then alert'])));
    await waitFor(() => running(pidIn(s.pidfile)), 15_000, 'first start');
    await new Promise((r) => setTimeout(r, 300)); // the start's wait for the process is over
    const log = logText();
    for (const re of [/error\s+: 'dummy' process is not running/, /info\s+: 'dummy' trying to restart/, /info\s+: 'dummy' start: '.*dummy-start\.sh'/]) assert.match(log, re);
    assert.match(readText(s.envFile), /^MONIT_PROCESS_PID=-1$/m);
    assert.match(readText(s.envFile), /^WARDEN_SERVICE=dummy$/m);
    const old = pidIn(s.pidfile);
    extra.push(old); // its orphaned sleep stays in the old process group
    const killedAt = Date.now();
    process.kill(old, 'SIGKILL');
    await waitFor(() => { const p = pidIn(s.pidfile); return p !== old && running(p); }, 5_000, 'a new pid');
    const latency = Date.now() - killedAt;
    assert.ok(latency < 2_000, `restarted after ${latency} ms with a 10 s cycle`);
    assert.equal(count(logText(), /'dummy' trying to restart/), 2);
    assert.doesNotMatch(logText(), /PID changed/, "warden's own restart is no changed pid");
  });

  it('restarts a busy process after cpu > 50% for 2 cycles', async () => {
    const s = daemonScripts(t.dir, 'busy', 'while :; do :; done');
    run(base(1, service('busy', s, ['if cpu > 50% for 2 cycles then restart'])));
    await waitFor(() => /'busy' cpu usage of [\d.]+% matches resource limit \[cpu usage > 50\.0%\]/.test(logText()), 20_000, 'the cpu limit');
    await waitFor(() => count(logText(), /'busy' trying to restart/) >= 2, 20_000, 'the restart for cpu');
    assert.match(logText(), /warning\s+: 'busy' cpu usage of .* \[1 of 2\]/);
  });

  it('stops a tree over totalmem > 50 MB and alerts on children > 3', async () => {
    const mem = daemonScripts(t.dir, 'fat', `${process.execPath} -e "globalThis.b = Buffer.alloc(80e6, 1); setInterval(() => {}, 1000)" & wait`);
    const kids = daemonScripts(t.dir, 'kids', 'for i in 1 2 3 4 5; do sleep 1000 & done; wait');
    const port = await freePort();
    const { file } = run(base(1, [...service('fat', mem, ['if totalmem > 50 MB then stop']), ...service('kids', kids, ['if children > 3 then alert', 'if threads > 50 then alert', 'if uptime > 1 day then alert'])], port));
    await waitFor(() => /'fat' total mem amount of [\d.]+ MB matches resource limit \[total mem amount > 50(\.0)? MB\]/.test(logText()), 20_000, 'the memory limit');
    await waitFor(() => /'fat' stop: '.*fat-stop\.sh'/.test(logText()), 10_000, 'the stop');
    await waitFor(() => /'kids' children of 5 matches resource limit \[children > 3\]/.test(logText()), 10_000, 'the children limit');
    assert.match(logText(), /'kids' alert: Resource limit matched -- children of 5/);
    await waitFor(() => /fat\s+Not monitored\s+Process/.test(warden(['-c', file, 'summary']).stdout), 10_000, 'fat unmonitored');
    assert.ok(!running(pidIn(mem.pidfile)), 'the stop program ran');
  });

  it('unmonitors a process that dies at once after 3 restarts within 5 cycles', async () => {
    const s = daemonScripts(t.dir, 'flaky', 'exit 0');
    const port = await freePort();
    const { file } = run(base(1, [
      `check process flaky with pidfile ${s.pidfile}`,
      `  start program = "${s.start}" with timeout 1 seconds`,
      '  if 3 restarts within 5 cycles then unmonitor',
    ], port));
    await waitFor(() => /'flaky' service restarted 3 times within 5 cycle\(s\) - unmonitor/.test(logText()), 20_000, 'the restart limit');
    await waitFor(() => /flaky\s+Not monitored/.test(warden(['-c', file, 'summary']).stdout), 10_000, 'unmonitored');
    assert.match(logText(), /'flaky' failed to start -- not running after 1 s/);
  });

  it('starts prerequisites first, cascades stop to dependants, and passive mode never acts', async () => {
    const db = daemonScripts(t.dir, 'db', 'sleep 1000 & wait');
    const web = daemonScripts(t.dir, 'web', 'sleep 1000 & wait');
    const lazy = daemonScripts(t.dir, 'lazy', 'sleep 1000 & wait');
    const port = await freePort();
    const { file } = run(base(1, [...service('web', web, ['depends on db']), ...service('db', db), ...service('lazy', lazy, ['mode passive'])], port));
    await waitFor(() => running(pidIn(web.pidfile)) && running(pidIn(db.pidfile)), 15_000, 'both started');
    let log = logText();
    assert.ok(log.indexOf("'db' start:") < log.indexOf("'web' start:"), 'db starts before web');
    await waitFor(() => /'lazy' alert: Does not exist -- process is not running \(restart not done: passive mode\)/.test(logText()), 10_000, 'passive alert');
    const mark = logText().length;
    const stop = warden(['-c', file, 'stop', 'db']);
    assert.equal(stop.status, 0, stop.stderr);
    await waitFor(() => /'db' stop action done/.test(logText()), 15_000, 'stop done');
    log = logText().slice(mark);
    assert.ok(log.indexOf("'web' stop:") >= 0 && log.indexOf("'web' stop:") < log.indexOf("'db' stop:"), 'web stops before db');
    const summary = warden(['-c', file, 'summary']).stdout;
    assert.match(summary, /web\s+Not monitored/);
    assert.match(summary, /db\s+Not monitored/);
    const mark2 = logText().length;
    assert.equal(warden(['-c', file, 'start', 'web']).status, 0);
    await waitFor(() => /'web' start action done/.test(logText()), 15_000, 'start done');
    log = logText().slice(mark2);
    assert.ok(log.indexOf("'db' start:") >= 0 && log.indexOf("'db' start:") < log.indexOf("'web' start:"), 'start web starts db first');
    assert.ok(!readText(join(t.dir, 'lazy.starts')), 'passive mode never ran the start program');
  });

  it('answers every CLI command with real processes, and keeps monitoring state across a restart', async () => {
    const s = daemonScripts(t.dir, 'app', 'sleep 1000 & sleep 1000 & wait');
    const port = await freePort();
    const rules = ['if totalmem > 1 GB then alert', 'if total cpu > 99% for 5 cycles then alert', 'group demo', 'onreboot laststate'];
    const { file, h } = run(base(1, service('app', s, rules), port));
    await waitFor(() => /'app' process is running with pid/.test(logText()), 15_000, 'started');
    await waitFor(() => /total cpu usage check succeeded/.test(logText()), 10_000, 'a total cpu sample');
    const pid = pidIn(s.pidfile);
    const status = warden(['-c', file, 'status', 'app']);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /^Process 'app'$/m);
    assert.match(status.stdout, new RegExp(`^  pid {26}${pid}$`, 'm'));
    assert.match(status.stdout, /^  parent pid {19}1$/m);
    assert.match(status.stdout, /^  threads {22}1$/m);
    assert.match(status.stdout, /^  memory {23}[\d.]+% \[[\d.]+ [kM]B\]$/m);
    assert.match(status.stdout, /^  children {21}2$/m);
    assert.match(warden(['-c', file, 'summary']).stdout, /app\s+OK\s+Process/);
    assert.match(warden(['-c', file, 'report', 'up']).stdout, /^[12]\n$/);
    assert.equal(warden(['-c', file, 'validate']).status, 0);
    const procmatch = warden(['procmatch', `${t.dir}/app\\.sh`]);
    assert.match(procmatch.stdout, new RegExp(` \\* +${pid} +1  /bin/sh ${t.dir}/app\\.sh`));
    assert.match(procmatch.stdout, /Total matches: 1/);
    // restart: stop (waits for the pid to vanish) then start.
    assert.equal(warden(['-c', file, 'restart', 'app']).status, 0);
    await waitFor(() => /'app' restart action done/.test(logText()), 15_000, 'restart done');
    assert.notEqual(pidIn(s.pidfile), pid);
    assert.ok(running(pidIn(s.pidfile)));
    assert.equal(warden(['-c', file, 'unmonitor', 'app']).status, 0);
    await waitFor(() => /"app":\{"monitor":"not monitored"\}/.test(readText(join(t.dir, 'warden.state'))), 10_000, 'the state file');
    // A restart of warden keeps the service unmonitored.
    await stopChild(h);
    const again = run(base(1, service('app', s, rules), port));
    await waitFor(() => /app\s+Not monitored/.test(warden(['-c', again.file, 'summary']).stdout), 15_000, 'unmonitored after restart');
    assert.equal(warden(['-c', file, 'monitor', 'app']).status, 0);
    await waitFor(() => /app\s+OK\s+Process/.test(warden(['-c', file, 'summary']).stdout), 15_000, 'monitored again');
    assert.equal(warden(['-c', file, 'stop', 'app']).status, 0);
    await waitFor(() => /'app' stop action done/.test(logText()), 15_000, 'stop done');
    assert.ok(!running(pid) && !running(pidIn(s.pidfile)));
    assert.equal(warden(['-c', file, 'status', 'nosuch']).status, 1);
  });

  it('survives bad input: garbage pidfile, another user\'s pid, a hanging start, a failing stop', async () => {
    const garbage = join(t.dir, 'garbage.pid');
    writeFileSync(garbage, 'not a pid\n');
    const other = spawn('sleep', ['60'], { uid: 65534, gid: 65534, stdio: 'ignore' });
    extra.push(other.pid);
    const otherPid = join(t.dir, 'other.pid');
    writeFileSync(otherPid, `${other.pid}\n`);
    const port = await freePort();
    const { file } = run(base(1, [
      `check process garbage with pidfile ${garbage}`,
      '  start program = "/bin/sleep 3" with timeout 1 seconds',
      `check process other with pidfile ${otherPid}`,
      '  stop program = "/bin/false"',
      '  if uptime > 1 day then alert',
    ], port));
    await waitFor(() => /'garbage' failed to start -- timed out after 1 s/.test(logText()), 15_000, 'the hanging start');
    assert.match(logText(), /'garbage' pidfile '.*garbage\.pid' does not contain a valid pid/);
    await waitFor(() => /'other' process is running with pid/.test(logText()) || /'other' uptime test succeeded/.test(logText()), 10_000, 'the other user\'s process seen');
    assert.equal(warden(['-c', file, 'stop', 'other']).status, 0);
    await waitFor(() => /'other' failed to stop -- exit status 1/.test(logText()), 10_000, 'the failing stop');
    const cycles = count(logText(), /'garbage' process is not running/);
    await waitFor(() => count(logText(), /'garbage' process is not running/) > cycles, 10_000, 'still cycling');
    assert.ok(running(other.pid), 'the other user\'s process is untouched');
    assert.match(warden(['-c', file, 'status', 'garbage']).stdout, /Process 'garbage'/);
  });
  it('a quiet process rests between checks, and its uptime, its CPU and a new pid are still seen', async () => {
    // A process that blocks in wait(2) (nothing in its /proc/PID/stat moves: core's batches let
    // its check skip observing) and burns ~2 s of CPU on SIGUSR1.
    const pidfile = join(t.dir, 'quiet.pid');
    const script = join(t.dir, 'quiet.sh');
    writeFileSync(script, [
      '#!/bin/bash',
      `echo $$ > ${pidfile}`,
      'burn() { local end=$((SECONDS + 2)); while [ $SECONDS -lt $end ]; do :; done; }',
      'trap burn USR1',
      'while :; do sleep 1000 & wait $!; done',
      '',
    ].join('\n'), { mode: 0o755 });
    const startQuiet = () => {
      const child = spawn('bash', [script], { detached: true, stdio: 'ignore' });
      child.unref();
      extra.push(child.pid);
      return child.pid;
    };
    const first = startQuiet();
    await waitFor(() => pidIn(pidfile) === first, 5_000, 'the pidfile');
    const port = await freePort();
    run(base(1, [`check process quiet with pidfile ${pidfile}`, '  if memory > 90% then alert'], port));
    const seen = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/services/quiet`, { headers: { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` } });
        return res.ok ? (await res.json()).observations ?? {} : {};
      } catch {
        return {}; // not listening yet
      }
    };
    await waitFor(async () => (await seen()).cpuPercent === 0, 15_000, 'a quiet process at 0% CPU');
    const quiet = await seen();
    assert.equal(quiet.pid, first);
    // Its uptime moves on while the check rests.
    await new Promise((r) => setTimeout(r, 2_500));
    const later = await seen();
    assert.ok(later.uptime >= quiet.uptime + 2, `uptime ${quiet.uptime} then ${later.uptime}`);
    // It burns CPU: the next checks see it; then it is quiet again, and 0% again.
    process.kill(first, 'SIGUSR1');
    await waitFor(async () => (await seen()).cpuPercent > 30, 5_000, 'the CPU of the busy process');
    await waitFor(async () => (await seen()).cpuPercent === 0, 8_000, 'the process quiet again');
    // Another process takes over the pidfile: its pid is seen at once.
    const second = startQuiet();
    await waitFor(() => pidIn(pidfile) === second, 5_000, 'the new pidfile');
    await waitFor(async () => (await seen()).pid === second, 5_000, 'the new pid');
    // And the first one's death, with the pidfile left naming it, is seen too.
    writeFileSync(pidfile, `${first}\n`);
    await waitFor(async () => (await seen()).pid === first, 5_000, 'the first pid again');
    process.kill(-first, 'SIGKILL');
    await waitFor(() => /'quiet' process is not running/.test(logText()), 5_000, 'the death of the first');
  });
});
