// The log as logrotate and log shippers see it: `mv warden.log warden.log.1; warden reload`
// loses no line, and `format json` writes one JSON object per line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, daemonsPerTest, readText, ROOT, startWarden, stopChild, waitFor, WARDEN, warden, writeControlFile } from './harness.mjs';

const STAMPED = /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}\] (error|warning|info|debug)\s+: \S/;

describe('logging: rotation and formats', function () {
  this.timeout(30_000);
  let t;
  let handles;
  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  });
  const controlFile = (logStatement) =>
    writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      logStatement,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      `set idfile ${join(t.dir, 'warden.id')}`,
      `set statefile ${join(t.dir, 'warden.state')}`,
      'check file hosts with path /etc/hosts',
      '  if does not exist then alert',
      '',
    ].join('\n'));

  /**
   * Run warden logging to a file, wake it 5 times, call `rotate(log)`, wake it 5 times, wait
   * for the reload to reach the new file, wake it 5 times more, stop it; returns both files.
   * Each USR1 logs one line at once; waiting for it before the next keeps signals apart.
   */
  async function rotateUnderLoad(rotate) {
    const log = join(t.dir, 'warden.log');
    const rotated = `${log}.1`;
    const file = controlFile(`set log ${log}`);
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    const both = () => readText(rotated) + readText(log);
    let sent = 0;
    const wake = async (n) => {
      for (let i = 0; i < n; i++) {
        h.child.kill('SIGUSR1');
        sent++;
        await waitFor(() => count(both(), /Awakened by User defined signal 1/) === sent, 5000, `wake-up line ${sent}`);
      }
    };
    await waitFor(() => /'hosts' file exists/.test(readText(log)), 10_000, 'the first check');
    await wake(5);
    await rotate({ log, file, child: h.child, wakeBetween: () => wake(5) });
    await waitFor(() => /warden reloaded/.test(readText(log)), 10_000, 'the reload line in the new file');
    await wake(5);
    await waitFor(() => /'hosts' file exists/.test(readText(log)), 10_000, 'a check after the reload');
    const exit = await stopChild(h);
    assert.equal(exit.code, 0);
    const old = readText(rotated);
    const now = readText(log);
    assert.equal(count(old, /Awakened by User defined signal 1/) + count(now, /Awakened by User defined signal 1/), sent, `${old}\n--- new file ---\n${now}`);
    assert.match(old, /Reinitializing warden -- control file/);
    assert.doesNotMatch(old, /warden reloaded/);
    assert.match(now, /warden daemon with pid \[\d+\] stopped/);
    // Every line whole: stamped, levelled, newline-terminated.
    for (const text of [old, now]) {
      assert.ok(text.endsWith('\n'));
      for (const line of text.slice(0, -1).split('\n')) assert.match(line, STAMPED);
    }
    return { old, now };
  }

  it('logrotate-style rotation (rename, then HUP) loses no line and splits them at the reload', async () => {
    const { old, now } = await rotateUnderLoad(async ({ log, child, wakeBetween }) => {
      renameSync(log, `${log}.1`);
      await wakeBetween(); // Before the HUP: still written, through the open descriptor, to the moved file.
      child.kill('SIGHUP');
    });
    assert.equal(count(old, /Awakened by User defined signal 1/), 10, old);
    assert.equal(count(now, /Awakened by User defined signal 1/), 5, now);
  });

  it('contrib/warden.logrotate, run by logrotate itself, loses no line', async () => {
    assert.equal(spawnSync('logrotate', ['--version']).status, 0, 'logrotate (Debian package logrotate) is missing');
    const { now } = await rotateUnderLoad(async ({ log, file }) => {
      const conf = readFileSync(join(ROOT, 'contrib', 'warden.logrotate'), 'utf8')
        .replace(/^\/var\/log\/warden\.log \{$/m, `${log} {`)
        .replace(/create 0640 root adm/, 'create 0640')
        .replace('warden -c /etc/warden/monitrc reload', `${process.execPath} ${WARDEN} -c ${file} reload`);
      writeFileSync(join(t.dir, 'logrotate.conf'), conf, { mode: 0o644 });
      const run = spawnSync('logrotate', ['--force', '--state', join(t.dir, 'logrotate.state'), join(t.dir, 'logrotate.conf')], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(run.status, 0, run.stderr);
    });
    assert.equal(count(now, /Awakened by User defined signal 1/), 5, now);
  });

  it('`set log FILE format json` writes one JSON object per line, the service in its own field', async () => {
    const log = join(t.dir, 'warden.log');
    const h = startWarden(['-I', '-v', '-c', controlFile(`set log ${log} format json`)]);
    handles.push(h);
    await waitFor(() => count(readText(log), /"service":"hosts"/) >= 2, 10_000, 'two checks logged');
    assert.equal((await stopChild(h)).code, 0);
    const records = readText(log).trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.ok(records.every((r) => typeof r.time === 'string' && ['error', 'warning', 'info', 'debug'].includes(r.level) && typeof r.message === 'string'));
    assert.ok(records.some((r) => r.service === 'hosts' && r.message === 'file exists'), JSON.stringify(records));
    assert.ok(records.some((r) => r.service === undefined && /^Starting warden /.test(r.message)));
  });

  it('--log-format json overrides the control file; a bad format is refused', async () => {
    const log = join(t.dir, 'warden.log');
    const h = startWarden(['-I', '-v', '--log-format', 'json', '-c', controlFile(`set log ${log}`)]);
    handles.push(h);
    await waitFor(() => /"service":"hosts"/.test(readText(log)), 10_000, 'a check logged as JSON');
    assert.equal((await stopChild(h)).code, 0);
    for (const line of readText(log).trimEnd().split('\n')) assert.doesNotThrow(() => JSON.parse(line), line);

    const badFlag = warden(['-t', '--log-format', 'yaml', '-c', controlFile(`set log ${log}`)]);
    assert.equal(badFlag.status, 1);
    assert.match(badFlag.stderr, /Invalid log format 'yaml'/);
    const badStatement = warden(['-t', '-c', controlFile(`set log ${log} format yaml`)]);
    assert.equal(badStatement.status, 1);
    assert.match(badStatement.stderr, /Invalid log format/);
  });
});
