// Local probes through the real daemon: a real tmpfs filled past a threshold and unmounted,
// real CPU load, real programs and a Nagios-style plugin with performance data. The tmpfs
// tests mount and unmount, so they need root (as CI runs); they fail, not skip, without it.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { readText, startWarden, stopChild, tempDir, waitFor, writeControlFile, freePort } from './harness.mjs';


/** True when `dir` is a mount point now. */
function isMounted(dir) {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);
}

describe('local probes through the daemon', function () {
  this.timeout(60_000);
  let t;
  let handles;
  let mounts;
  let children;

  beforeEach(() => {
    t = tempDir('warden-local-');
    handles = [];
    mounts = [];
    children = [];
  });

  afterEach(async () => {
    for (const h of handles) await stopChild(h, 'SIGKILL');
    for (const c of children) c.kill('SIGKILL');
    for (const m of mounts) if (isMounted(m)) execFileSync('umount', [m]);
    t.cleanup();
  });

  const start = (file) => {
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    return h;
  };
  const base = (extra) => ['set daemon 1', `set log ${join(t.dir, 'warden.log')}`, `set pidfile ${join(t.dir, 'warden.pid')}`, ...extra, ''].join('\n');
  const logText = () => readText(join(t.dir, 'warden.log'));
  const script = (name, body) => {
    const path = join(t.dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };
  /** An exec hook that appends `service|event|description` to `fired`. */
  const hook = () => script('hook.sh', `echo "$MONIT_SERVICE|$MONIT_EVENT|$MONIT_DESCRIPTION" >> ${join(t.dir, 'fired')}`);
  const fired = () => readText(join(t.dir, 'fired'));

  it('runs exec when a real tmpfs fills past 50%, says Does not exist once unmounted, and Exists when back', async () => {
    const mnt = join(t.dir, 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    mounts.push(mnt);
    const file = writeControlFile(join(t.dir, 'monitrc'), base([
      `check filesystem scratch with path ${mnt}`,
      `  if space usage > 50% then exec "${hook()}"`,
      '  if does not exist then alert',
    ]));
    start(file);
    await waitFor(() => /'scratch' space usage test succeeded \[current space usage = 0\.\d%\]/.test(logText()), 10_000, 'first space check');
    writeFileSync(join(mnt, 'fill'), Buffer.alloc(5 * 1024 * 1024));
    await waitFor(() => /^scratch\|Resource limit matched\|space usage 6\d\.\d% matches resource limit \[space usage > 50\.0%\]$/m.test(fired()), 10_000, 'exec on space usage');
    assert.match(logText(), /error\s+: 'scratch' space usage 6\d\.\d% matches resource limit/);

    execFileSync('umount', [mnt]);
    await waitFor(() => new RegExp(`'scratch' alert: Does not exist -- unable to read filesystem '${mnt}' state`).test(logText()), 10_000, 'Does not exist');
    assert.match(logText(), new RegExp(`error\\s+: 'scratch' unable to read filesystem '${mnt}' state`));
    assert.doesNotMatch(logText(), /monitoring failed/, 'a vanished filesystem is an event, not a broken monitor');

    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    await waitFor(() => new RegExp(`'scratch' alert: Exists -- succeeded getting filesystem statistics for '${mnt}'`).test(logText()), 10_000, 'Exists');
  });

  it('sees two busy loops as user CPU in check system $HOST', async () => {
    // Two loops keep two CPUs busy: 200% / cores of all CPU time; ask for half of that.
    const threshold = Math.floor(Math.min(40, 100 / cpus().length));
    const file = writeControlFile(join(t.dir, 'monitrc'), base([
      'check system $HOST',
      `  if cpu usage (user) > ${threshold}% then exec "${hook()}"`,
      '  if loadavg (5min) per core > 10000 then alert',
      '  if memory usage > 100% then alert',
    ]));
    start(file);
    const host = hostname();
    await waitFor(() => logText().includes(`'${host}' cpu user usage check`), 10_000, 'a cpu check of the host');
    for (let i = 0; i < 2; i++) children.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    await waitFor(() => new RegExp(`^${host}\\|Resource limit matched\\|cpu user usage of \\d+\\.\\d% matches resource limit \\[cpu user usage > ${threshold}\\.0%\\]$`, 'm').test(fired()), 15_000, 'exec on cpu usage');
    assert.match(logText(), new RegExp(`'${host}' loadavg \\(5min\\) per core check succeeded \\[current loadavg \\(5min\\) per core = \\d+\\.\\d\\]`));
    assert.match(logText(), new RegExp(`'${host}' mem usage check succeeded \\[current mem usage = \\d+\\.\\d%\\]`));
  });

  it('runs a Nagios-style plugin: state, content and performance data in the log, exec and /metrics', async () => {
    const stateFile = join(t.dir, 'state');
    writeFileSync(stateFile, '1');
    const plugin = script('check_fake', [
      `code=$(cat ${stateFile})`,
      'if [ "$code" = 2 ]; then word=CRITICAL; else word=WARNING; fi',
      `echo "FAKE $word - queue 42 | queue=42;10;40;0 'wait time'=250ms;;;0"`,
      'echo "second line of long text"',
      'echo "| bytes=2KB"',
      'exit $code',
    ].join('\n'));
    const port = await freePort();
    const file = writeControlFile(join(t.dir, 'monitrc'), base([
      `set httpd port ${port} and use address 127.0.0.1`,
      '  allow 127.0.0.1',
      `check program fake with path ${plugin}`,
      `  if failed nagios critical then exec "${hook()}"`,
      '  if content = "CRITICAL - queue [0-9]+" then alert',
    ]));
    start(file);
    await waitFor(() => /'fake' nagios WARNING \(1\) -- FAKE WARNING - queue 42/.test(logText()), 10_000, 'a WARNING that is below the rule');
    assert.equal(fired(), '');
    writeFileSync(stateFile, '2');
    await waitFor(() => /^fake\|Status failed\|nagios CRITICAL \(2\) -- FAKE CRITICAL - queue 42$/m.test(fired()), 10_000, 'exec on CRITICAL');
    await waitFor(() => /'fake' alert: Content failed -- content match: FAKE CRITICAL - queue 42/.test(logText()), 10_000, 'content alert');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /^warden_program_perfdata\{service="fake",type="program",label="queue"\} 42$/m);
    assert.match(metrics, /^warden_program_perfdata\{service="fake",type="program",label="wait time"\} 0\.25$/m);
    assert.match(metrics, /^warden_program_perfdata\{service="fake",type="program",label="bytes"\} 2048$/m);
    assert.match(metrics, /^warden_program_nagios_state\{service="fake",type="program"\} 2$/m);
  });

  it('runs the real check_disk Nagios plugin (monitoring-plugins-basic) against a filling tmpfs', async () => {
    const mnt = join(t.dir, 'disk');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    mounts.push(mnt);
    const port = await freePort();
    const file = writeControlFile(join(t.dir, 'monitrc'), base([
      `set httpd port ${port} and use address 127.0.0.1`,
      '  allow 127.0.0.1',
      `check program disk with path "/usr/lib/nagios/plugins/check_disk -w 50% -c 20% -p ${mnt}"`,
      `  if failed nagios then exec "${hook()}"`,
    ]));
    start(file);
    await waitFor(() => /'disk' nagios OK \(0\) -- DISK OK - free space:/.test(logText()), 10_000, 'DISK OK');
    writeFileSync(join(mnt, 'fill'), Buffer.alloc(6 * 1024 * 1024));
    await waitFor(() => new RegExp(`^disk\\|Status failed\\|nagios WARNING \\(1\\) -- DISK WARNING - free space: ${mnt} `, 'm').test(fired()), 10_000, 'exec on DISK WARNING');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const used = new RegExp(`^warden_program_perfdata\\{service="disk",type="program",label="${mnt}"\\} (\\d+)$`, 'm').exec(metrics);
    assert.ok(used && Number(used[1]) >= 6 * 1024 * 1024, `perfdata of ${mnt} in bytes:\n${metrics}`);
  });

  it('keeps its memory bounded when a program prints 100 MB', async () => {
    const big = script('big.sh', 'head -c 100000000 /dev/zero | tr "\\000" x\necho done >&2\nexit 3');
    const file = writeControlFile(join(t.dir, 'monitrc'), base([
      `check program big with path ${big}`,
      '  if status != 0 then alert',
      '  if content = "^done" then alert',
    ]));
    const h = start(file);
    await waitFor(() => /'big' alert: Status failed -- status failed \(3\) -- done/.test(logText()), 20_000, 'the status of the big program');
    await waitFor(() => /'big' alert: Content failed -- content match: done/.test(logText()), 10_000, 'the content of the big program');
    const status = readFileSync(`/proc/${h.child.pid}/status`, 'utf8');
    const hwmKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    if (process.env.WARDEN_REPORT) console.log(`daemon VmHWM ${hwmKb} kB`);
    assert.ok(hwmKb > 0 && hwmKb < 160 * 1024, `daemon peak RSS ${hwmKb} kB after 100 MB of output`);
  });
});
