// The HTTP interface and the CLI commands that go through it, against a real daemon.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { readText, startWarden, stopChild, tempDir, waitFor, warden, writeControlFile, freePort } from './harness.mjs';


const auth = (user, pass) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('the HTTP interface', function () {
  this.timeout(60_000);
  let t;
  let h;
  let port;
  let file;
  const url = (path) => `http://127.0.0.1:${port}${path}`;
  const get = (path, headers = { authorization: auth('admin', 'secret') }) => request(url(path), { headers });

  before(async () => {
    t = tempDir();
    port = await freePort();
    file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${join(t.dir, 'warden.log')}`,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      `set idfile ${join(t.dir, 'warden.id')}`,
      `set httpd port ${port} and use address 127.0.0.1`,
      '  allow 127.0.0.1',
      '  allow admin:"secret"',
      '  allow viewer:view read-only',
      'check file hosts with path /etc/hosts',
      '  if does not exist then alert',
      '  group demo',
      `check file ghost with path ${join(t.dir, 'nothing-here')}`,
      '  if does not exist then alert',
      'check program failing with path "/bin/sh -c \'echo bad; exit 2\'"',
      '  if status != 0 then alert',
      '  group demo',
      '',
    ].join('\n'));
    h = startWarden(['-I', '-c', file]);
    await waitFor(() => /'failing' status failed \(2\)/.test(readText(join(t.dir, 'warden.log'))), 15_000, 'the program result');
  });
  after(async () => {
    if (h) await stopChild(h);
    t.cleanup();
  });

  it('asks for credentials (401) and logs a wrong password', async () => {
    const none = await get('/_status', {});
    assert.equal(none.statusCode, 401);
    assert.match(none.headers['www-authenticate'], /^Basic realm=/);
    await none.body.dump();
    const wrong = await get('/_status', { authorization: auth('admin', 'nope') });
    assert.equal(wrong.statusCode, 401);
    await wrong.body.dump();
    await waitFor(() => /HttpRequest: access denied -- client \[127\.0\.0\.1\]: wrong password for user 'admin'/.test(readText(join(t.dir, 'warden.log'))), 5000, 'the log line');
  });

  it('serves the text status, summary and report like Monit', async () => {
    const status = await (await get('/_status')).body.text();
    assert.match(status, /^warden \d+\.\d+\.\d+ uptime: \d+m\n\nFile 'hosts'\n  status                       OK\n  monitoring status            Monitored\n/);
    assert.match(status, /File 'ghost'\n  status                       Does not exist/);
    const summary = await (await get('/_summary')).body.text();
    assert.match(summary, /^ Service Name {21}Status {22}Type {10}$/m);
    assert.match(summary, /^ failing {26}Status failed {15}Program {7}$/m);
    const report = await (await get('/_report')).body.text();
    assert.match(report, /^up: {13}2 \(50\.0%\)\ndown: {11}2 \(50\.0%\)\ninitialising: {3}0 \(0\.0%\)\nunmonitored: {4}0 \(0\.0%\)\ntotal: {10}4 services\n$/, 'three declared services and the implicit system one');
  });

  it('serves Monit-shaped XML and JSON', async () => {
    const res = await get('/_status?format=xml');
    assert.match(res.headers['content-type'], /text\/xml/);
    const xml = await res.body.text();
    assert.match(xml, /^<\?xml version="1\.0" encoding="ISO-8859-1"\?><monit><server><id>[0-9a-f]{32}<\/id><incarnation>\d+<\/incarnation><version>/);
    assert.match(xml, /<service type="2"><name>hosts<\/name><collected_sec>\d+<\/collected_sec><collected_usec>\d+<\/collected_usec><status>0<\/status><status_hint>0<\/status_hint><monitor>1<\/monitor><monitormode>0<\/monitormode><onreboot>0<\/onreboot><pendingaction>0<\/pendingaction>/);
    assert.match(xml, /<service type="2"><name>ghost<\/name>.*?<status>512<\/status>/, 'nonexist is bit 0x200');
    assert.match(xml, /<service type="7"><name>failing<\/name>.*?<status>2097152<\/status>.*?<program><started>\d+<\/started><status>2<\/status><output><!\[CDATA\[bad\n?\]\]><\/output><\/program>/s);
    assert.doesNotMatch(xml, /<password>/, 'unlike Monit, no cleartext credentials');
    const json = JSON.parse(await (await get('/_status?format=json')).body.text());
    assert.deepEqual(json.services.map((s) => [s.name, s.type, s.status]), [['hosts', 'file', 'OK'], ['ghost', 'file', 'Does not exist'], ['failing', 'program', 'Status failed'], [hostname(), 'system', 'OK']]);
    assert.equal(json.viewer.user, 'admin');
  });

  it('exposes Prometheus metrics in text and OpenMetrics', async () => {
    const text = await (await get('/metrics')).body.text();
    assert.match(text, /^warden_service_up\{service="hosts",type="file"\} 1$/m);
    assert.match(text, /^warden_service_up\{service="failing",type="program"\} 0$/m);
    assert.match(text, /^warden_service_failing\{service="ghost",type="file",event="nonexist"\} 1$/m);
    assert.match(text, /^warden_checks_total\{service="hosts",type="file",result="ok"\} \d+$/m);
    assert.match(text, /^warden_service_group_info\{service="failing",group="demo"\} 1$/m);
    const open = await get('/metrics', { authorization: auth('admin', 'secret'), accept: 'application/openmetrics-text; version=1.0.0' });
    assert.match(open.headers['content-type'], /application\/openmetrics-text/);
    assert.match(await open.body.text(), /# EOF\n$/);
  });

  it('refuses a POST without the CSRF token, and a read-only user\'s action', async () => {
    const noToken = await request(url('/_doaction'), { method: 'POST', headers: { authorization: auth('admin', 'secret'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=unmonitor&service=hosts' });
    assert.equal(noToken.statusCode, 403);
    assert.match(await noToken.body.text(), /Invalid CSRF Token/);
    const readOnly = await request(url('/_doaction'), {
      method: 'POST',
      headers: { authorization: auth('viewer', 'view'), 'content-type': 'application/x-www-form-urlencoded', cookie: 'securitytoken=0123456789abcdef0123456789abcdef' },
      body: 'action=unmonitor&service=hosts&securitytoken=0123456789abcdef0123456789abcdef',
    });
    assert.equal(readOnly.statusCode, 403);
    assert.match(await readOnly.body.text(), /You do not have sufficient privileges/);
  });

  it('drives the daemon from the CLI: unmonitor, monitor, -g, status NAME, validate', async () => {
    assert.equal(warden(['-c', file, 'unmonitor', 'hosts']).status, 0);
    await waitFor(() => /'hosts' unmonitor action done/.test(readText(join(t.dir, 'warden.log'))), 5000, 'the action');
    assert.match(warden(['-c', file, 'summary', 'hosts']).stdout, /^ hosts {28}Not monitored/m);
    assert.equal(warden(['-c', file, 'monitor', 'all']).status, 0);
    await waitFor(() => /^ hosts {28}OK/m.test(warden(['-c', file, 'summary']).stdout), 10_000, 'hosts monitored again');
    const group = warden(['-c', file, '-g', 'demo', 'summary']);
    assert.deepEqual(group.stdout.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/)[0]), ['hosts', 'failing']);
    const missing = warden(['-c', file, 'status', 'nosuch']);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr.trim(), "Service 'nosuch' not found");
    const unknown = warden(['-c', file, 'restart', 'nosuch']);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr.trim(), 'There is no service named "nosuch"');
    const validate = warden(['-c', file, 'validate']);
    assert.equal(validate.status, 1, 'a service is failing');
    assert.match(validate.stdout, /warden daemon with PID \d+ awakened/);
    assert.equal(warden(['-c', file, 'report', 'down']).stdout, '2\n');
  });

  it('serves the web page with a CSRF token, and 404 for an unknown service', async () => {
    const page = await get('/');
    assert.equal(page.statusCode, 200);
    const html = await page.body.text();
    const token = /name="csrf-token" content="([0-9a-f]{32})"/.exec(html)?.[1];
    assert.ok(token);
    assert.match(String(page.headers['set-cookie']), new RegExp(`securitytoken=${token};`));
    assert.equal((await get('/hosts')).statusCode, 200);
    const nope = await get('/nosuch');
    assert.equal(nope.statusCode, 404);
    assert.equal(await nope.body.text(), 'There is no service named "nosuch"\n');
  });

  it('says the daemon is not running once it has quit', async () => {
    const quit = warden(['-c', file, 'quit']);
    assert.match(quit.stdout, /warden daemon with pid \[\d+\] killed/);
    assert.equal((await h.exited).code, 0);
    h = undefined;
    const res = warden(['-c', file, 'status']);
    assert.equal(res.status, 1);
    assert.equal(res.stderr.trim(), 'warden: the warden daemon is not running');
  });
});
