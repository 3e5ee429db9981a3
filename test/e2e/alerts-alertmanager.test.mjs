// Alertmanager and webhook notifiers end to end: a real Prometheus Alertmanager (Debian
// prometheus-alertmanager) on loopback receives a firing alert, queued while it was down, and
// then its resolution; a real HTTP server receives the webhook's JSON posts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { freePort } from './alerts-peers.mjs';
import { readText, startWarden, stopChild, tempDir, waitFor, writeControlFile } from './harness.mjs';

const AM_BIN = '/usr/bin/prometheus-alertmanager';

/** An HTTP server that records JSON posts by path. */
async function startReceiver() {
  const posts = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      posts.push({ path: req.url, json: JSON.parse(body || 'null'), headers: req.headers });
      res.writeHead(200).end('ok');
    });
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, posts, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

describe('alerts: Alertmanager and webhook', function () {
  this.timeout(60_000);
  let t;
  let handles;
  let closers;
  beforeEach(() => {
    t = tempDir('warden-am-');
    handles = [];
    closers = [];
  });
  afterEach(async () => {
    for (const h of handles) await stopChild(h, 'SIGKILL');
    for (const c of closers) await c();
    t.cleanup();
  });
  const logText = () => readText(join(t.dir, 'warden.log'));

  it('fires on failure (queued while Alertmanager is down), resolves on recovery, and posts both to a webhook', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const amPort = await freePort();
    const amConfig = join(t.dir, 'alertmanager.yml');
    writeFileSync(amConfig, [
      'route:', '  receiver: hook', '  group_by: [service]', '  group_wait: 0s', '  group_interval: 1s', '  repeat_interval: 1h',
      'receivers:', '  - name: hook', '    webhook_configs:', `      - url: http://127.0.0.1:${receiver.port}/from-alertmanager`, '        send_resolved: true', '',
    ].join('\n'));
    const target = join(t.dir, 'target');
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1', `set log ${join(t.dir, 'warden.log')}`, `set pidfile ${join(t.dir, 'warden.pid')}`, `set statefile ${join(t.dir, 'warden.state')}`,
      `set eventqueue basedir ${join(t.dir, 'events')}`,
      `set alertmanager http://127.0.0.1:${amPort} with timeout 5 seconds`,
      `set webhook http://127.0.0.1:${receiver.port}/hook`,
      `check file target with path ${target}`, '  if does not exist then alert', '',
    ].join('\n'));
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    await waitFor(() => /Adding event to the queue file .* for later delivery/.test(logText()), 10_000, 'the alert queued while Alertmanager is down');
    assert.match(logText(), /Alertmanager: cannot post to .*ECONNREFUSED/);

    const storage = join(t.dir, 'am-data');
    mkdirSync(storage);
    const am = spawn(AM_BIN, [`--config.file=${amConfig}`, `--storage.path=${storage}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address='], { stdio: ['ignore', 'ignore', 'pipe'] });
    let amLog = '';
    am.stderr.on('data', (d) => (amLog += d));
    const amExited = new Promise((resolve) => am.on('exit', resolve));
    closers.push(async () => {
      if (am.exitCode === null) am.kill('SIGTERM');
      await amExited;
    });
    const api = async (path) => {
      const res = await fetch(`http://127.0.0.1:${amPort}${path}`);
      return res.ok ? res.json() : undefined;
    };
    const targetAlert = async () => ((await api('/api/v2/alerts').catch(() => undefined)) ?? []).find((a) => a.labels.service === 'target');
    await waitFor(targetAlert, 15_000, `the firing alert in Alertmanager's API (alertmanager log: ${amLog.slice(-300)})`);
    const firing = await targetAlert();
    assert.equal(firing.status.state, 'active');
    assert.deepEqual(firing.labels, { alertname: 'warden_nonexist', service: 'target', host: firing.labels.host, event: 'nonexist' });
    assert.equal(firing.annotations.summary, 'Does not exist target');
    assert.equal(firing.annotations.description, "file doesn't exist");
    assert.ok(Date.parse(firing.startsAt) < Date.now() - 500, 'startsAt is the event time, not the delivery time');
    await waitFor(() => receiver.posts.some((p) => p.path === '/from-alertmanager' && p.json.status === 'firing' && p.json.alerts[0].labels.service === 'target'), 10_000, 'Alertmanager notifying firing');

    writeFileSync(target, 'back');
    await waitFor(async () => (await targetAlert()) === undefined, 10_000, 'the alert resolved (gone from the active alerts)');
    const notified = (status) => receiver.posts.find((p) => p.path === '/from-alertmanager' && p.json.status === status && p.json.alerts[0].labels.service === 'target');
    await waitFor(() => notified('resolved'), 10_000, 'Alertmanager notifying resolved');
    const resolved = notified('resolved').json.alerts[0];
    assert.equal(resolved.status, 'resolved');
    assert.ok(Date.parse(resolved.endsAt) <= Date.now());

    const hooks = receiver.posts.filter((p) => p.path === '/hook').map((p) => p.json);
    const forTarget = hooks.filter((j) => j.service === 'target');
    assert.deepEqual(forTarget.map((j) => [j.event, j.state, j.summary]), [['nonexist', 'failed', 'Does not exist'], ['nonexist', 'succeeded', 'Exists']]);
    assert.equal(forTarget[0].text, "warden alert --  Does not exist target: file doesn't exist");
    assert.ok(hooks.some((j) => j.event === 'instance' && /started/.test(j.description)), 'the instance start is posted too');
    assert.equal(receiver.posts.find((p) => p.path === '/hook').headers['content-type'], 'application/json');

    // The instance events of a reload and of the stop, the last delivered before warden exits.
    const instance = (re) => receiver.posts.some((p) => p.path === '/hook' && p.json.event === 'instance' && re.test(p.json.description));
    h.child.kill('SIGHUP');
    await waitFor(() => instance(/^warden reloaded$/), 10_000, 'the reload posted');
    assert.equal((await stopChild(h)).code, 0);
    assert.ok(instance(/^warden \S+ stopped$/), 'the stop posted before exit');
    assert.match(logText(), /info\s+: '[^']+' warden reloaded/);
    assert.match(logText(), /info\s+: '[^']+' warden \S+ stopped/);
  });
});
