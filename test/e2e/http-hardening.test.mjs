// The HTTP interface under bad input and load, and its less common set-ups, against real daemons.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { readText, startWarden, stopChild, tempDir, waitFor, warden, writeControlFile } from './harness.mjs';

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const auth = (user, pass) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const ADMIN = auth('admin', 'secret');

/** Send raw bytes, return what the server answered before closing (bounded by `ms`). */
function raw(port, bytes, ms = 5000, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1', localAddress });
    let text = '';
    const timer = setTimeout(() => { sock.destroy(); resolve({ text, closed: false }); }, ms);
    sock.on('data', (d) => (text += d.toString('latin1')));
    sock.on('error', (e) => { clearTimeout(timer); e.code === 'ECONNRESET' ? resolve({ text, closed: true }) : reject(e); });
    sock.on('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
    sock.write(bytes);
  });
}

/** Tick timestamps (ms) the `tick` program appended, one per cycle. */
const ticks = (path) => readText(path).split('\n').filter(Boolean).map((l) => Number(l) / 1e6);
const maxGap = (ts) => ts.slice(1).reduce((m, t, i) => Math.max(m, t - ts[i]), 0);

describe('the HTTP interface under bad input and load', function () {
  this.timeout(60_000);
  let t;
  let port;
  let portB;
  let portD;
  const daemons = [];
  const url = (path) => `http://127.0.0.1:${port}${path}`;
  const file = (name) => join(t.dir, name);

  before(async () => {
    t = tempDir();
    [port, portB, portD] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(file('plain.htpasswd'), 'carol:clear-pw\n');
    writeFileSync(file('md5.htpasswd'), `mike:${execFileSync('openssl', ['passwd', '-apr1', 'md5-pw'], { encoding: 'utf8' }).trim()}\n`);
    // OpenSSL 3 dropped `passwd -crypt`; Python 3.13 dropped `crypt`; perl's crypt(3) is DES like Monit's.
    const des = execFileSync('perl', ['-e', 'print crypt("crypt-pw", "ab")'], { encoding: 'utf8' });
    writeFileSync(file('crypt.htpasswd'), `kate:${des}\n`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', file('key.pem'), '-out', file('cert.pem')], { stdio: 'ignore' });
    writeFileSync(file('server.pem'), readFileSync(file('cert.pem'), 'utf8') + readFileSync(file('key.pem'), 'utf8'));
    chmodSync(file('server.pem'), 0o600);
    const common = (name) => [`set daemon 1`, `set log ${file(`${name}.log`)}`, `set pidfile ${file(`${name}.pid`)}`, `set idfile ${file(`${name}.id`)}`, `set statefile ${file(`${name}.state`)}`];
    const confs = {
      a: [...common('a'), `set httpd port ${port} and use address 127.0.0.1`, '  allow 127.0.0.1', '  allow admin:"secret"',
        `  allow cleartext ${file('plain.htpasswd')}`, `  allow md5 ${file('md5.htpasswd')} mike`, `  allow crypt ${file('crypt.htpasswd')}`,
        `check program tick with path "/bin/sh -c 'date +%s%N >> ${file('ticks')}'"`, '  if status != 0 then alert',
        'check file hosts with path /etc/hosts', '  if does not exist then alert', `check file passwd with path /etc/passwd`, '  if does not exist then alert'],
      b: [...common('b'), `set httpd port ${portB} and use address 127.0.0.1`, '  signature disable', '  read-only', '  allow 127.0.0.2',
        'check file hosts with path /etc/hosts', '  if does not exist then alert'],
      c: [...common('c'), `set httpd unixsocket ${file('warden.sock')} permission 0660`, '  allow admin:"secret"',
        'check file hosts with path /etc/hosts', '  if does not exist then alert'],
      d: [...common('d'), `set httpd port ${portD} and use address 127.0.0.1`, `  with ssl { pemfile: ${file('server.pem')} }`, '  allow admin:"secret"',
        'check file hosts with path /etc/hosts', '  if does not exist then alert'],
    };
    for (const [name, lines] of Object.entries(confs)) {
      const conf = writeControlFile(file(`${name}.rc`), `${lines.join('\n')}\n`);
      daemons.push(startWarden(['-I', '-c', conf]));
    }
    await waitFor(() => ticks(file('ticks')).length >= 2, 15_000, 'two cycles of daemon a');
    await waitFor(() => ['b', 'c', 'd'].every((n) => /'hosts'/.test(readText(file(`${n}.log`))) || readText(file(`${n}.log`)).length > 0), 15_000, 'the other daemons');
  });
  after(async () => {
    for (const d of daemons) await stopChild(d);
    t.cleanup();
  });

  it('logs a wrong password, and lets htpasswd users in (cleartext, md5 apr1, DES crypt)', async () => {
    const wrong = await request(url('/_ping'), { headers: { authorization: auth('carol', 'nope') } });
    assert.equal(wrong.statusCode, 401);
    await wrong.body.dump();
    await waitFor(() => /HttpRequest: access denied -- client \[127\.0\.0\.1\]: wrong password for user 'carol'/.test(readText(file('a.log'))), 5000, 'the log line');
    for (const [user, pass] of [['carol', 'clear-pw'], ['mike', 'md5-pw'], ['kate', 'crypt-pw'], ['admin', 'secret']]) {
      const ok = await request(url('/_ping'), { headers: { authorization: auth(user, pass) } });
      assert.equal(ok.statusCode, 200, user);
      assert.equal(await ok.body.text(), 'pong');
    }
    const bad = await request(url('/_ping'), { headers: { authorization: auth('mike', 'clear-pw') } });
    assert.equal(bad.statusCode, 401);
    await bad.body.dump();
  });

  it('answers 400 to a malformed request line or header, 413 to a large body, 431 to a large header, and keeps serving', async () => {
    assert.match((await raw(port, 'GARBAGE\r\n\r\n')).text, /^HTTP\/1\.1 400 Bad Request/);
    assert.match((await raw(port, 'GET /_ping HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n')).text, /^HTTP\/1\.1 400 Bad Request/);
    assert.match((await raw(port, 'GET /_ping HTTP/9.9\x00\r\n\r\n')).text, /^HTTP\/1\.1 400 Bad Request/);
    // A declared 10 MB body: refused from its Content-Length, before any of it is sent.
    const big = await raw(port, `POST /_doaction HTTP/1.1\r\nHost: x\r\nAuthorization: ${ADMIN}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\n`);
    assert.match(big.text, /^HTTP\/1\.1 413 /);
    assert.ok(big.closed, 'the connection is closed');
    // A body that really is larger than 64 KiB, sent in full.
    const body = `action=stop&service=hosts&pad=${'x'.repeat(100_000)}`;
    const sent = await request(url('/_doaction'), { method: 'POST', body, headers: { authorization: ADMIN, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(sent.statusCode, 413);
    await sent.body.dump();
    assert.match((await raw(port, `GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`)).text, /^HTTP\/1\.1 431 /);
    const ping = await request(url('/_ping'), { headers: { authorization: ADMIN } });
    assert.equal(await ping.body.text(), 'pong');
  });

  it('refuses a client outside the allow list with 403 before reading its body; serves a read-only server without a signature', async () => {
    const denied = await raw(portB, `POST /_doaction HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n`, 5000, '127.0.0.1');
    assert.match(denied.text, /^HTTP\/1\.1 403 /);
    assert.ok(denied.closed, 'the connection is closed without waiting for the body');
    const agent = new Agent({ localAddress: '127.0.0.2' });
    try {
      const page = await request(`http://127.0.0.1:${portB}/_status`, { dispatcher: agent });
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers.server, undefined, 'signature disable: no Server header');
      const cookie = /securitytoken=([0-9a-f]{32})/.exec(String(page.headers['set-cookie']))[1];
      await page.body.dump();
      const act = await request(`http://127.0.0.1:${portB}/_doaction`, {
        dispatcher: agent, method: 'POST', body: `action=stop&service=hosts&securitytoken=${cookie}`,
        headers: { cookie: `securitytoken=${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(act.statusCode, 403);
      assert.match(await act.body.text(), /sufficient privileges/);
    } finally {
      await agent.close();
    }
    const a = await request(url('/_ping'), { headers: { authorization: ADMIN } });
    assert.match(a.headers.server, /^warden\/\d/);
    await a.body.dump();
  });

  it('keeps the check cycle on time with a slow client and 1000 idle keep-alive connections', async () => {
    const before = ticks(file('ticks')).length;
    // A client that sends its headers one byte per second.
    const slow = connect({ port, host: '127.0.0.1' });
    slow.on('error', () => {});
    const header = 'GET /_ping HTTP/1.1\r\n';
    let i = 0;
    const drip = setInterval(() => { if (i < header.length) slow.write(header[i++]); }, 1000);
    // 1000 connections, each with one answered request, then held open.
    const socks = [];
    const answered = [];
    for (let n = 0; n < 1000; n++) {
      const s = connect({ port, host: '127.0.0.1' });
      s.on('error', () => {});
      answered.push(new Promise((r) => s.once('data', r)));
      s.write(`GET /_ping HTTP/1.1\r\nHost: x\r\nAuthorization: ${ADMIN}\r\nConnection: keep-alive\r\n\r\n`);
      socks.push(s);
    }
    await Promise.all(answered);
    const t0 = Date.now();
    const ping = await request(url('/_ping'), { headers: { authorization: ADMIN } });
    assert.equal(await ping.body.text(), 'pong');
    assert.ok(Date.now() - t0 < 1000, `/_ping answered in ${Date.now() - t0} ms while 1000 connections are held`);
    await waitFor(() => ticks(file('ticks')).length >= before + 3, 10_000, 'three more cycles');
    clearInterval(drip);
    for (const s of socks) s.destroy();
    slow.destroy();
    const during = ticks(file('ticks')).slice(before - 1);
    assert.ok(maxGap(during) < 1800, `cycles 1 s apart, largest gap ${Math.round(maxGap(during))} ms`);
  });

  it('serves the CLI through a unix socket with mode 0660', async () => {
    await waitFor(() => { try { return statSync(file('warden.sock')).isSocket(); } catch { return false; } }, 10_000, 'the socket');
    assert.equal(statSync(file('warden.sock')).mode & 0o777, 0o660);
    const res = warden(['-c', file('c.rc'), 'status']);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /File 'hosts'\n {2}status {23}OK/);
  });

  it('serves HTTPS from a pemfile, and refuses a pemfile readable by others', async () => {
    const agent = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      await waitFor(async () => { try { await (await request(`https://127.0.0.1:${portD}/_ping`, { dispatcher: agent })).body.dump(); return true; } catch { return false; } }, 10_000, 'https');
      const res = await request(`https://127.0.0.1:${portD}/_status?format=xml`, { dispatcher: agent, headers: { authorization: ADMIN } });
      assert.equal(res.statusCode, 200);
      assert.match(await res.body.text(), /<service type="2"><name>hosts<\/name>/);
    } finally {
      await agent.close();
    }
    chmodSync(file('server.pem'), 0o644);
    const check = warden(['-t', '-c', file('d.rc')]);
    chmodSync(file('server.pem'), 0o600);
    assert.notEqual(check.status, 0);
    assert.match(check.stdout + check.stderr, /permission 0644 is wrong, maximum 0750 allowed/);
  });

  it('filters /_status by service in every format, and level=summary drops the type-specific XML', async () => {
    const get = async (q) => (await request(url(`/_status?${q}`), { headers: { authorization: ADMIN } })).body.text();
    const full = await get('format=xml&service=hosts');
    assert.match(full, /<service type="2"><name>hosts<\/name>.*<mode>\d+<\/mode>.*<\/service><\/monit>$/);
    assert.doesNotMatch(full, /<name>passwd<\/name>/);
    const summary = await get('format=xml&level=summary');
    assert.match(summary, /<name>hosts<\/name>/);
    assert.match(summary, /<name>passwd<\/name>/);
    assert.doesNotMatch(summary, /<mode>|<timestamps>|<program>/);
    const json = JSON.parse(await get('format=json&service=passwd&service=tick'));
    assert.deepEqual(json.services.map((s) => s.name), ['tick', 'passwd']);
    const text = await get('service=passwd');
    assert.match(text, /File 'passwd'/);
    assert.doesNotMatch(text, /File 'hosts'/);
    const missing = await request(url('/_status?format=xml&service=nope'), { headers: { authorization: ADMIN } });
    assert.equal(missing.statusCode, 404);
    await missing.body.dump();
  });

  it('serves status gzipped on request, and never a stale rendering', async () => {
    const headers = { authorization: ADMIN };
    const zipped = await request(url('/_status?service=hosts'), { headers: { ...headers, 'accept-encoding': 'gzip' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.match(gunzipSync(Buffer.from(await zipped.body.arrayBuffer())).toString(), /^warden .*\n\nFile 'hosts'\n {2}status {23}OK\n/);
    const collected = async () => Number(/<collected_sec>(\d+)</.exec(await (await request(url('/_status?format=xml&service=tick'), { headers })).body.text())[1]);
    const first = await collected();
    await waitFor(async () => (await collected()) > first, 5000, 'a newer check of tick in the XML');
    const page = await request(url('/_status'), { headers });
    const token = /securitytoken=([0-9a-f]{32})/.exec(String(page.headers['set-cookie']))[1];
    await page.body.dump();
    const act = await request(url('/_doaction'), {
      method: 'POST', body: `action=unmonitor&service=passwd&securitytoken=${token}`,
      headers: { ...headers, cookie: `securitytoken=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(act.statusCode, 302);
    await act.body.dump();
    const text = async () => (await request(url('/_status?service=passwd'), { headers })).body.text();
    await waitFor(async () => /File 'passwd'\n {2}status {23}Not monitored/.test(await text()), 5000, 'passwd shown as not monitored');
  });
});
