// The web page in a real Chromium, and /metrics scraped by a real Prometheus and promtool.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { request } from 'undici';
import { ROOT, readText, startWarden, stopChild, tempDir, waitFor, writeControlFile, freePort } from './harness.mjs';
import { daemonScripts, killGroups, pidIn, running } from './process-helpers.mjs';


const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the web page and Prometheus', function () {
  this.timeout(90_000);
  let t;
  let h;
  let port;
  let app;
  const pids = new Set();
  const log = () => readText(join(t.dir, 'warden.log'));

  before(async () => {
    t = tempDir();
    port = await freePort();
    app = daemonScripts(t.dir, 'app', 'exec sleep 600');
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${join(t.dir, 'warden.log')}`,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      `set idfile ${join(t.dir, 'warden.id')}`,
      `set httpd port ${port} and use address 127.0.0.1`,
      '  allow admin:"secret"',
      '  allow viewer:view read-only',
      'check file hosts with path /etc/hosts',
      '  if does not exist then alert',
      '  group system',
      'check directory tmp with path /tmp',
      'check program failing with path "/bin/sh -c \'echo broken; exit 1\'"',
      '  if status != 0 then alert',
      `check process app with pidfile ${app.pidfile}`,
      `  start program = "${app.start}"`,
      `  stop program = "${app.stop}"`,
      '',
    ].join('\n'));
    h = startWarden(['-I', '-c', file]);
    await waitFor(() => /'failing' status failed/.test(log()), 15_000, 'the first program result');
    await waitFor(() => pidIn(app.pidfile) !== undefined && running(pidIn(app.pidfile)), 15_000, 'warden to start the process');
    pids.add(pidIn(app.pidfile));
  });
  after(async () => {
    if (h) await stopChild(h);
    const last = pidIn(app.pidfile);
    if (last) pids.add(last);
    killGroups(pids);
    t.cleanup();
  });

  it('shows every service in Chromium, acts on one, and keeps read-only users out', async () => {
    // One persistent context per user, each with a fresh profile folder.
    const launch = (name, username, password) => {
      const profile = join(t.dir, `chromium-${name}`);
      mkdirSync(profile);
      return chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, httpCredentials: { username, password }, viewport: { width: 1100, height: 700 } });
    };
    const admin = await launch('admin', 'admin', 'secret');
    let viewer;
    try {
      const page = await admin.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('tr[data-service="failing"]', { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector('tr[data-service="app"]')?.children[2]?.textContent === 'OK', null, { timeout: 15_000 });
      const rows = await page.$$eval('#services tbody tr', (trs) => trs.map((tr) => [tr.dataset.service, tr.children[2].textContent]));
      assert.deepEqual(rows, [['hosts', 'OK'], ['tmp', 'OK'], ['failing', 'Status failed'], ['app', 'OK'], [hostname(), 'OK']]);
      const shots = join(ROOT, 'test', 'output');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'web-page.png'), fullPage: true });
      console.log(`      screenshot: ${join(shots, 'web-page.png')}`);

      await page.click('a[href="/hosts"]');
      await page.waitForSelector('#actions button[data-action="unmonitor"]');
      await page.click('#actions button[data-action="unmonitor"]');
      await waitFor(() => /'hosts' unmonitor action done/.test(log()), 10_000, 'the unmonitor action');
      await page.waitForFunction(() => document.querySelector('#detail-name')?.textContent?.includes('Not monitored'), null, { timeout: 15_000 });
      await page.screenshot({ path: join(shots, 'web-service.png'), fullPage: true });
      await page.click('#actions button[data-action="monitor"]');
      await waitFor(() => /'hosts' monitor action done/.test(log()), 10_000, 'the monitor action');

      // Restart the real process from its page and watch the new pid appear there.
      const before = pidIn(app.pidfile);
      await page.goto(`http://127.0.0.1:${port}/app`);
      await page.waitForFunction((pid) => [...document.querySelectorAll('#detail-status tr')].some((tr) => tr.children[0].textContent === 'pid' && tr.children[1].textContent === String(pid)), before, { timeout: 15_000 });
      await page.click('#actions button[data-action="restart"]');
      await waitFor(() => pidIn(app.pidfile) !== before && running(pidIn(app.pidfile)), 15_000, 'a new pid');
      const after = pidIn(app.pidfile);
      pids.add(after);
      await page.waitForFunction((pid) => [...document.querySelectorAll('#detail-status tr')].some((tr) => tr.children[0].textContent === 'pid' && tr.children[1].textContent === String(pid)), after, { timeout: 15_000 });
      assert.ok(!running(before), 'the old process is gone');
      await page.screenshot({ path: join(shots, 'web-restarted.png'), fullPage: true });

      viewer = await launch('viewer', 'viewer', 'view');
      const vpage = await viewer.newPage();
      await vpage.goto(`http://127.0.0.1:${port}/hosts`);
      await vpage.waitForSelector('#actions button');
      const disabled = await vpage.$$eval('#actions button', (bs) => bs.map((b) => b.disabled));
      assert.ok(disabled.length === 5 && disabled.every(Boolean), 'every action button is disabled for a read-only user');
      const forged = await vpage.evaluate(async () => {
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const res = await fetch('/_doaction', { method: 'POST', body: new URLSearchParams({ action: 'stop', service: 'hosts', securitytoken: token }) });
        return res.status;
      });
      assert.equal(forged, 403);
    } finally {
      await admin.close();
      await viewer?.close();
    }
  });

  it('is scraped by a real Prometheus, and promtool accepts the exposition', async function () {
    const res = await request(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` } });
    const exposition = await res.body.text();
    execFileSync('promtool', ['check', 'metrics'], { input: exposition });

    const promPort = await freePort();
    const dir = join(t.dir, 'prometheus');
    mkdirSync(dir);
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: warden',
      '    basic_auth: { username: admin, password: secret }',
      `    static_configs: [ { targets: ['127.0.0.1:${port}'] } ]`,
      '',
    ].join('\n'));
    const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
    try {
      let services = [];
      await waitFor(async () => {
        try {
          const q = await request(`http://127.0.0.1:${promPort}/api/v1/query?query=warden_service_up`);
          const json = await q.body.json();
          services = (json.data?.result ?? []).map((r) => `${r.metric.service}=${r.value[1]}`).sort();
          return services.length === 5;
        } catch {
          return false;
        }
      }, 30_000, 'Prometheus to scrape warden');
      assert.deepEqual(services, ['app=1', 'failing=0', 'hosts=1', 'tmp=1', `${hostname()}=1`].sort());
    } finally {
      prom.kill('SIGTERM');
      await new Promise((r) => prom.once('exit', r));
    }
  });
});
