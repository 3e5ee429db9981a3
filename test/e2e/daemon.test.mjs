// The daemon as an operator runs it: real files, real programs, real signals.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { count, daemonsPerTest, freePort, readText, startWarden, stopChild, waitFor, warden, writeControlFile } from './harness.mjs';

describe('the daemon', function () {
  this.timeout(60_000);
  let t;
  let handles;
  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  });
  const start = (args, options) => {
    const h = startWarden(args, options);
    handles.push(h);
    return h;
  };
  const base = (extra) => [
    'set daemon 1',
    `set log ${join(t.dir, 'warden.log')}`,
    `set pidfile ${join(t.dir, 'warden.pid')}`,
    ...extra,
    '',
  ].join('\n');
  const logText = () => readText(join(t.dir, 'warden.log'));

  it('checks a file each cycle, alerts when it goes and when it comes back, and stops on TERM', async () => {
    const target = join(t.dir, 'target');
    writeFileSync(target, 'x');
    const file = writeControlFile(join(t.dir, 'monitrc'), base([`check file target with path ${target}`, '  if does not exist then alert']));
    const h = start(['-I', '-v', '-c', file]);
    await waitFor(() => /'target' file exists/.test(logText()), 10_000, 'first check');
    rmSync(target);
    await waitFor(() => /error\s+: 'target' file doesn't exist/.test(logText()), 10_000, 'missing file error');
    await waitFor(() => /'target' alert: Does not exist -- file doesn't exist/.test(logText()), 10_000, 'alert');
    writeFileSync(target, 'y');
    await waitFor(() => /'target' alert: Exists -- /.test(logText()), 10_000, 'recovery alert');
    const exit = await stopChild(h);
    assert.equal(exit.code, 0);
    assert.match(logText(), /warden daemon with pid \[\d+\] stopped/);
    assert.ok(!existsSync(join(t.dir, 'warden.pid')));
  });

  it('keeps the running configuration when a reload finds a broken file, and takes a good one', async () => {
    const file = writeControlFile(join(t.dir, 'monitrc'), base(['check file hosts with path /etc/hosts', '  if does not exist then alert']));
    const h = start(['-I', '-v', '-c', file]);
    await waitFor(() => /'hosts' file exists/.test(logText()), 10_000, 'first check');
    writeControlFile(file, base(['check file hosts with path /etc/hosts', '  if does not exist then frobnicate']));
    h.child.kill('SIGHUP');
    await waitFor(() => /Reload failed, keeping the running configuration -- .*monitrc:5: syntax error 'frobnicate'/.test(logText()), 10_000, 'reload failure');
    const before = count(logText(), /'hosts' file exists/);
    await waitFor(() => count(logText(), /'hosts' file exists/) >= before + 2, 10_000, 'cycles after the failed reload');
    writeControlFile(file, base(['check file hosts with path /etc/hosts', '  if does not exist then alert', 'check directory tmp with path /tmp']));
    h.child.kill('SIGHUP');
    await waitFor(() => /'tmp' directory exists/.test(logText()), 10_000, 'the new service after a good reload');
    assert.equal((await stopChild(h)).code, 0);
  });

  it("gives back the node executable's start-up pages after a configuration's first cycle, and checks on", async () => {
    const target = join(t.dir, 'target');
    writeFileSync(target, 'x');
    const file = writeControlFile(join(t.dir, 'monitrc'), base([`check file target with path ${target}`, '  if does not exist then alert']));
    const h = start(['-I', '-v', '-c', file]);
    const returned = /returned (\d+\.\d) MB of the node executable's start-up pages to the page cache/g;
    await waitFor(() => count(logText(), returned) >= 1, 10_000, 'pages returned after the first cycle');
    const mb = Number([...logText().matchAll(returned)][0][1]);
    assert.ok(mb > 5, `${mb} MB returned`);
    // An idle node process beside it keeps every page its start touched: the daemon, which
    // started much more (its bundle, a configuration, a cycle), now keeps fewer.
    const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      await sleep(1000);
      const rssFile = (pid) => Number(/RssFile:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
      assert.ok(rssFile(h.child.pid) < rssFile(idle.pid), `warden RssFile ${rssFile(h.child.pid)} kB, idle node ${rssFile(idle.pid)} kB`);
    } finally {
      idle.kill('SIGKILL');
    }
    // A reload parses and starts again, and gives back again after its first cycle.
    h.child.kill('SIGHUP');
    await waitFor(() => count(logText(), returned) >= 2, 10_000, 'pages returned after the reload');
    rmSync(target);
    await waitFor(() => /'target' alert: Does not exist -- file doesn't exist/.test(logText()), 10_000, 'a check after it');
    assert.equal((await stopChild(h)).code, 0);
  });

  it("keeps V8's young generation small through start-up: 2000 quiet file checks leave it a quarter of the size", async () => {
    // Started with the growth factor at 1 (core/bin/warden.js) and given V8's back after the
    // first cycle: what start-up builds is promoted, and the young generation does not grow to
    // the 32 MB (two 16 MB semi-spaces) V8 would give it for good, as it did before at 2000.
    const paths = [];
    for (let i = 0; i < 2000; i++) {
      const path = join(t.dir, `f${i}`);
      writeFileSync(path, String(i));
      paths.push(`check file f${i} with path ${path}`, '  if does not exist then alert', '  if changed timestamp then alert', '  if size > 1 MB then alert');
    }
    const port = await freePort();
    const file = writeControlFile(join(t.dir, 'monitrc'), base([`set httpd port ${port} and use address 127.0.0.1`, '  allow 127.0.0.1', ...paths]));
    const h = start(['-I', '-v', '-c', file]);
    await waitFor(() => /returned \d+\.\d MB of the node executable's start-up pages/.test(logText()), 20_000, 'the first cycle');
    await sleep(3000);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const young = Number(/^warden_process_nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/m.exec(metrics)?.[1]);
    assert.ok(young > 0 && young <= 8 * 1048576, `young generation ${(young / 1048576).toFixed(1)} MB`);
    // And it checks on: a file removed is seen.
    rmSync(join(t.dir, 'f1999'));
    await waitFor(() => /'f1999' alert: Does not exist/.test(logText()), 10_000, 'a check after it');
    assert.equal((await stopChild(h)).code, 0);
  });

  it('runs one daemon per pid file, and USR1 wakes it for a cycle now', async () => {
    const file = writeControlFile(join(t.dir, 'monitrc'), base(['check file hosts with path /etc/hosts', '  if does not exist then alert']).replace('set daemon 1', 'set daemon 60'));
    const h = start(['-I', '-v', '-c', file]);
    await waitFor(() => existsSync(join(t.dir, 'warden.pid')) && /'hosts' file exists/.test(logText()), 10_000, 'start');
    const second = warden(['-I', '-c', file]);
    assert.equal(second.status, 1);
    assert.match(second.stderr, /warden daemon with PID \d+ is already running/);
    const woken = warden(['-c', file]);
    assert.equal(woken.status, 0);
    assert.match(woken.stdout, /warden daemon with PID \d+ awakened/);
    await waitFor(() => count(logText(), /'hosts' file exists/) >= 2, 10_000, 'a second cycle long before 60 s');
    assert.match(logText(), /Awakened by User defined signal 1/);
    const quit = warden(['-c', file, 'quit']);
    assert.match(quit.stdout, /warden daemon with pid \[\d+\] killed/);
    assert.equal((await h.exited).code, 0);
  });

  it('runs a program check asynchronously and execs on failure with Monit\'s variables', async () => {
    const script = join(t.dir, 'fails.sh');
    writeFileSync(script, '#!/bin/sh\necho "disk warning"\necho "stderr line" >&2\nexit 3\n');
    chmodSync(script, 0o755);
    const hook = join(t.dir, 'hook.sh');
    const out = join(t.dir, 'hook.out');
    writeFileSync(hook, `#!/bin/sh\necho "$MONIT_SERVICE|$MONIT_EVENT|$WARDEN_SERVICE|$MONIT_DESCRIPTION" >> ${out}\n`);
    chmodSync(hook, 0o755);
    const file = writeControlFile(join(t.dir, 'monitrc'), base([`check program failing with path ${script}`, `  if status != 0 for 2 cycles then exec "${hook}"`]));
    const h = start(['-I', '-v', '-c', file]);
    await waitFor(() => existsSync(out), 15_000, 'the exec hook');
    const line = readFileSync(out, 'utf8').split('\n')[0];
    assert.match(line, /^failing\|Status failed\|failing\|status failed \(3\) -- stderr line/);
    assert.match(logText(), /warning\s+: 'failing' status failed \(3\)/, 'the first failure of `for 2 cycles` is a warning');
    assert.equal((await stopChild(h)).code, 0);
  });

  it('without set daemon, checks once and exits', () => {
    const file = writeControlFile(join(t.dir, 'monitrc'), [`set log ${join(t.dir, 'warden.log')}`, 'check file hosts with path /etc/hosts', '  if does not exist then alert', ''].join('\n'));
    const res = warden(['-I', '-v', '-c', file]);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(count(logText(), /'hosts' file exists/), 1);
  });
});
