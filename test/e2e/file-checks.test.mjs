// File, fifo and directory checks and checksums on real objects, through the real daemon.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { daemonsPerTest, readText, ROOT, startWarden, waitFor, warden, WARDEN, writeControlFile } from './harness.mjs';

const NOBODY = 65534;

/** VmRSS of a process in bytes. */
function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

describe('file checks and checksums', function () {
  this.timeout(30_000);
  let t;
  let handles;
  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  }, 'warden-files-');
  const start = (args, options) => {
    const h = startWarden(args, options);
    handles.push(h);
    return h;
  };
  const controlFile = (lines, logDir = t.dir) =>
    writeControlFile(join(t.dir, 'monitrc'), ['set daemon 1', `set log ${join(logDir, 'warden.log')}`, `set pidfile ${join(logDir, 'warden.pid')}`, ...lines, ''].join('\n'));
  const logText = (logDir = t.dir) => readText(join(logDir, 'warden.log'));
  const seen = (re, what, logDir) => waitFor(() => re.test(logText(logDir)), 10_000, what);

  it('`warden -H FILE` and `warden -H` on stdin print what md5sum, sha1sum and monit -H print', () => {
    const file = join(t.dir, 'data.txt');
    writeFileSync(file, 'watched file\n'.repeat(1000));
    const md5 = execFileSync('md5sum', [file], { encoding: 'utf8' }).split(' ')[0];
    const sha1 = execFileSync('sha1sum', [file], { encoding: 'utf8' }).split(' ')[0];
    const ours = warden(['-H', file]);
    assert.equal(ours.status, 0, ours.stderr);
    assert.equal(ours.stdout, `SHA1(${file}) = ${sha1}\nMD5(${file})  = ${md5}\n`);
    assert.equal(ours.stdout, execFileSync('monit', ['-H', file], { encoding: 'utf8' }));
    const stdin = warden(['-H'], { input: 'hi\n' });
    assert.equal(stdin.stdout, 'SHA1(stdin) = 55ca6286e3e4f4fba5d0448333fa99fc5a404a73\nMD5(stdin)  = 764efa883dda1e11db47671c4a3bbd9e\n');
  });

  it('`warden -t` rejects bad file and checksum rules with Monit\'s messages', () => {
    const cases = [
      ['if failed permission 0999 then alert', "Permission statements must have an octal value between 0 and 7777 '0999'"],
      ['if failed uid nosuchuser then alert', "Requested user not found on the system 'nosuchuser'"],
      ['if content = "([" then alert', `Regex parsing error: Invalid regular expression '"(["'`],
      ['if failed md5 checksum expect abc123 then alert', "Invalid checksum [abc123] for file /etc/hosts 'abc123'"],
    ];
    for (const [rule, message] of cases) {
      const file = writeControlFile(join(t.dir, 'bad.rc'), `check file f with path /etc/hosts\n  ${rule}\n`);
      const res = warden(['-t', '-c', file]);
      assert.equal(res.status, 1, rule);
      assert.equal(res.stderr.trim(), `${file}:2: ${message}`);
    }
    const dir = writeControlFile(join(t.dir, 'dir.rc'), 'check directory d with path /tmp\n  if size > 1 MB then alert\n');
    assert.equal(warden(['-t', '-c', dir]).stderr.trim(), `${dir}:2: syntax error 'size'`);
  });

  it('raises Monit\'s events for checksum, permission, size, content, type and timestamps', async () => {
    const conf = join(t.dir, 'app.conf');
    const log = join(t.dir, 'app.log');
    const notFile = join(t.dir, 'is-a-dir');
    const fifo = join(t.dir, 'queue');
    const spool = join(t.dir, 'spool');
    writeFileSync(conf, 'port = 80\n');
    chmodSync(conf, 0o644);
    writeFileSync(log, 'panic: before warden started, not reported\n');
    mkdirSync(notFile);
    mkdirSync(spool);
    execFileSync('mkfifo', ['-m', '0640', fifo]);
    const file = controlFile([
      `check file conf with path ${conf}`,
      '  if changed checksum then alert',
      '  if failed permission 0644 then alert',
      `  if failed uid ${process.getuid()} then alert`,
      '  if size > 100 B then alert',
      `check file log with path ${log}`,
      '  if content = "^panic" then alert',
      '  if changed size then alert',
      `check file notfile with path ${notFile}`,
      '  if failed type then alert',
      `check fifo queue with path ${fifo}`,
      '  if failed permission 0600 then alert',
      `check directory spool with path ${spool}`,
      '  if changed mtime then alert',
      '  if timestamp is older than 1 hour then alert',
    ]);
    start(['-I', '-v', '-c', file]);
    // Each line when it is written: the services of a cycle log one after the other.
    await seen(/'conf' checksum has not changed/, 'the first checksum');
    await seen(/debug\s+: 'conf' checksum [0-9a-f]{32}$/m, 'the digest');
    await seen(/'conf' permission test succeeded \[current permission 0644\]/, 'permission');
    await seen(/'conf' size check succeeded \[current size = 10 B\]/, 'size');
    await seen(/'log' seeking to the end of the file/, 'the content test starting at the end');
    await seen(/error\s+: 'notfile' is neither a regular file nor a socket/, 'the type error');
    await seen(/'queue' is fifo/, 'the fifo');
    await seen(/'spool' is directory/, 'the directory');
    await seen(/'notfile' alert: Invalid type -- is neither a regular file nor a socket/, 'Invalid type');
    await seen(/'queue' alert: Permission failed -- permission test failed for .*queue \[current permission 0640\]/, 'fifo permission');

    writeFileSync(conf, 'port = 8080\n');
    const md5 = execFileSync('md5sum', [conf], { encoding: 'utf8' }).split(' ')[0];
    await seen(new RegExp(`'conf' alert: Checksum changed -- checksum changed to ${md5}`), 'Checksum changed');
    chmodSync(conf, 0o600);
    await seen(/'conf' alert: Permission failed -- permission test failed for .*app\.conf \[current permission 0600\]/, 'Permission failed');
    chmodSync(conf, 0o644);
    await seen(/'conf' alert: Permission succeeded -- permission test succeeded \[current permission 0644\]/, 'Permission succeeded');
    appendFileSync(conf, 'x'.repeat(200));
    await seen(/'conf' alert: Size failed -- size test failed for .*app\.conf -- current size is 212 B/, 'Size failed');

    appendFileSync(log, 'all fine\npanic: disk on fire\n');
    await seen(/'log' alert: Content match -- content match: panic: disk on fire$/m, 'Content match');
    await seen(/'log' alert: Size changed -- size for .*app\.log changed to/, 'Size changed');
    assert.doesNotMatch(logText(), /before warden started/);

    writeFileSync(join(spool, 'job'), '1');
    await seen(/'spool' alert: Timestamp changed -- modify time for .*spool changed from/, 'Timestamp changed');
    const old = Date.now() / 1000 - 7200;
    utimesSync(spool, old, old);
    // ctime moves with utimes, so the default `timestamp` (newest of mtime, ctime) stays fresh.
    await seen(/'spool' modify\/change time test succeeded for/, 'timestamp test');
    assert.doesNotMatch(logText(), /'spool' alert: Timestamp failed/);
  });

  it('rereads a rotated log from its start and a truncated one too', async () => {
    const log = join(t.dir, 'rot.log');
    writeFileSync(log, 'old\n');
    const file = controlFile([`check file rot with path ${log}`, '  if content = "ERROR" then alert']);
    start(['-I', '-v', '-c', file]);
    await seen(/'rot' seeking to the end of the file/, 'start at the end');
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'ERROR first line of the new file\n');
    await seen(/'rot' alert: Content match -- content match: ERROR first line of the new file/, 'rotation');
    writeFileSync(log, 'ERROR after truncation\n');
    await seen(/'rot' alert: Content match -- content match: ERROR after truncation/, 'truncation');
  });

  it('an unreadable file is a clear failure, not a crash (run as nobody when root)', async function () {
    const secret = join(t.dir, 'secret');
    writeFileSync(secret, 'top secret\n');
    chmodSync(secret, 0o600);
    const asRoot = process.getuid() === 0;
    let logDir = t.dir;
    const spawnOptions = {};
    if (asRoot) {
      chmodSync(t.dir, 0o755);
      logDir = join(t.dir, 'run');
      mkdirSync(logDir);
      chownSync(logDir, NOBODY, NOBODY);
    } else {
      chmodSync(secret, 0o000);
    }
    const file = controlFile([
      `check file secret with path ${secret}`,
      '  if failed checksum then alert',
      '  if changed sha1 checksum then alert',
      '  if content = "x" then alert',
      '  if failed permission 0600 then alert',
    ], logDir);
    if (asRoot) {
      chownSync(file, NOBODY, NOBODY);
      Object.assign(spawnOptions, { uid: NOBODY, gid: NOBODY });
    }
    const h = startWardenAs(['-I', '-v', '-c', file], spawnOptions);
    handles.push(h);
    // Monit's event for an object it cannot read: Data access error, not a failed checksum.
    await seen(/'secret' alert: Data access error -- cannot compute checksum for .*secret -- EACCES: permission denied/, 'Data access error', logDir);
    await seen(/'secret' alert: Data access error -- cannot read file .*secret: EACCES/, 'Data access error of content', logDir);
    const text = logText(logDir);
    assert.match(text, /error\s+: 'secret' cannot compute checksum for .*secret -- EACCES/, 'the changed rule logs an error');
    // The stat tests need no read access: they go on as usual.
    assert.match(text, asRoot ? /'secret' permission test succeeded \[current permission 0600\]/ : /'secret' permission test failed for .*secret \[current permission 0000\]/);
    assert.equal(h.child.exitCode, null, 'the daemon is still running');
  });

  it('a never-matching regex on a log that grows by 1 GiB: bounded reads, bounded memory, no event', async function () {
    const log = join(t.dir, 'big.log');
    writeFileSync(log, 'start\n');
    const file = controlFile([`check file big with path ${log}`, '  if content = "NEVER-THERE" then alert']);
    const h = start(['-I', '-v', '-c', file]);
    await seen(/'big' seeking to the end of the file/, 'start at the end');
    await seen(/'big' content doesn't match/, 'a first cycle');
    const baseline = rss(h.child.pid);
    const line = Buffer.from('2026-11-23T04:00:00 info some ordinary log line that never matches the pattern\n');
    const block = Buffer.alloc(1 << 20);
    for (let i = 0; i + line.length <= block.length; i += line.length) line.copy(block, i);
    const fd = openSync(log, 'a');
    for (let i = 0; i < 1024; i++) writeSync(fd, block);
    closeSync(fd);
    let peak = 0;
    await waitFor(() => {
      peak = Math.max(peak, rss(h.child.pid));
      return (logText().match(/'big' content read \d+ bytes, the rest waits for the next cycle/g) ?? []).length >= 3;
    }, 15_000, 'three bounded reads');
    assert.ok(peak - baseline < 64 * 1024 * 1024, `RSS grew by ${((peak - baseline) / 1048576).toFixed(1)} MiB reading a 1 GiB log`);
    assert.doesNotMatch(logText(), /'big' alert: Content match/);
    assert.equal(h.child.exitCode, null);
  });
});

/** Like the harness's startWarden, with a uid and gid to run as (the harness takes only cwd and env). */
function startWardenAs(args, ids) {
  if (ids.uid === undefined) return startWarden(args);
  const child = spawn(process.execPath, [WARDEN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], uid: ids.uid, gid: ids.gid });
  const output = { text: '' };
  child.stdout.on('data', (d) => (output.text += d.toString()));
  child.stderr.on('data', (d) => (output.text += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output, exited };
}
