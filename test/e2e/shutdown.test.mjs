// A clean shutdown on SIGTERM (systemctl stop, docker stop, `warden quit`): checks stop,
// alerts still pending are delivered or kept in the event queue, the state file is written,
// supervised jobs get TERM then KILL after the grace period, the pid file goes, exit status 0.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { daemonsPerTest, readText, startWarden, waitFor, writeControlFile } from './harness.mjs';

const GRACE_MS = 10_000; // The supervisor's default between SIGTERM and SIGKILL.

/** Whether `pid` still exists and is not a zombie. */
function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A loopback port with nothing listening on it (bound, then closed). */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('shutdown on SIGTERM', function () {
  this.timeout(GRACE_MS + 20_000);
  let t;
  let handles;
  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  });

  it('stops checks and jobs (TERM, then KILL after the grace), queues pending alerts, removes the pid file, exits 0', async () => {
    const log = join(t.dir, 'warden.log');
    const pidfile = join(t.dir, 'warden.pid');
    const events = join(t.dir, 'events');
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${log}`,
      `set pidfile ${pidfile}`,
      `set statefile ${join(t.dir, 'warden.state')}`,
      `set idfile ${join(t.dir, 'warden.id')}`,
      `set mailserver 127.0.0.1 port ${await closedPort()}`,
      'set alert ops@example.com',
      `set eventqueue basedir ${events}`,
      'check job sleeper with command "/bin/sleep 300"',
      // Ignores TERM: only the KILL after the grace period ends it.
      `check job stubborn with command "/bin/sh -c 'trap \\"\\" TERM; while :; do sleep 0.2; done'"`,
      'check file hosts with path /etc/hosts',
      '  if does not exist then alert',
      '',
    ].join('\n'));
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    const jobPid = (name) => Number(new RegExp(`started job ${name} \\[(\\d+)\\]`).exec(readText(log))?.[1]);
    await waitFor(() => jobPid('sleeper') > 0 && jobPid('stubborn') > 0 && /'hosts' file exists/.test(readText(log)), 10_000, 'both jobs and a check');
    const pids = [jobPid('sleeper'), jobPid('stubborn')];
    assert.ok(pids.every(alive));
    assert.ok(existsSync(pidfile));

    const sent = Date.now();
    h.child.kill('SIGTERM');
    const exit = await h.exited;
    const tookMs = Date.now() - sent;
    assert.equal(exit.code, 0, readText(log));
    assert.ok(tookMs >= GRACE_MS - 500 && tookMs < GRACE_MS + 5000, `stopped in ${tookMs} ms`);

    const text = readText(log);
    const after = text.slice(text.indexOf('Shutting down warden'));
    assert.match(after, /'sleeper' sending SIGTERM to job sleeper \[\d+\]/);
    assert.match(after, /'sleeper' job sleeper \[\d+\] exited after \d+ sec: signal 15/);
    assert.match(after, /'stubborn' sending SIGKILL to job stubborn \[\d+\]/);
    assert.match(after, /'stubborn' job stubborn \[\d+\] exited after \d+ sec: signal 9/);
    assert.doesNotMatch(after, /'hosts' file exists/, 'a check ran after the shutdown began');
    assert.match(after, /warden daemon with pid \[\d+\] stopped\n$/);
    assert.ok(!pids.some(alive), 'a job outlived warden');
    assert.ok(!existsSync(pidfile), 'the pid file is left behind');
    // The monitoring state is flushed: a restart resumes each service as it was.
    assert.doesNotThrow(() => JSON.parse(readFileSync(join(t.dir, 'warden.state'), 'utf8')), 'no state file written at shutdown');
    assert.match(readFileSync(join(t.dir, 'warden.state'), 'utf8'), /sleeper/);
    // The mail server is down: the 'stopped' instance alert waits in the event queue.
    const queued = readdirSync(events).filter((n) => n.endsWith('.json')).map((n) => JSON.parse(readFileSync(join(events, n), 'utf8')));
    assert.ok(queued.some((e) => e.event?.type === 'instance' && /stopped/.test(e.event.description)), JSON.stringify(queued));
  });

  it('exits 0 at once when there is nothing to wait for (SIGINT too)', async () => {
    const log = join(t.dir, 'warden.log');
    const pidfile = join(t.dir, 'warden.pid');
    const file = writeControlFile(join(t.dir, 'monitrc'), ['set daemon 1', `set log ${log}`, `set pidfile ${pidfile}`, `set idfile ${join(t.dir, 'warden.id')}`, `set statefile ${join(t.dir, 'warden.state')}`, 'check file hosts with path /etc/hosts', ''].join('\n'));
    const h = startWarden(['-I', '-c', file]);
    handles.push(h);
    await waitFor(() => existsSync(pidfile) && /Starting warden/.test(readText(log)), 10_000, 'the daemon');
    const sent = Date.now();
    h.child.kill('SIGINT');
    assert.equal((await h.exited).code, 0);
    assert.ok(Date.now() - sent < 3000, `took ${Date.now() - sent} ms`);
    assert.ok(!existsSync(pidfile));
  });
});
