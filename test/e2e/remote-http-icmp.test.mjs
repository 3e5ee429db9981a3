// `check host` with the http-check and icmp plugins, as an operator runs them: the real
// daemon, a real HTTP server and an HTTPS server with a self-signed certificate made here,
// ping to loopback and to a host inside a network namespace this test creates.
// Needs root (namespaces, veth), iproute2, iputils-ping and openssl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { daemonsPerTest, readText, startWarden, waitFor, warden, writeControlFile } from './harness.mjs';

const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });

/** Listen on 127.0.0.1 and a free port; resolves to the port. */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function close(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('remote checks: url, protocol http and ping on check host', function () {
  this.timeout(60_000);
  let t;
  let handles;

  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  });

  const base = (extra) => ['set daemon 1', `set log ${join(t.dir, 'warden.log')}`, `set pidfile ${join(t.dir, 'warden.pid')}`, ...extra, ''].join('\n');
  const logText = () => readText(join(t.dir, 'warden.log'));
  const start = (file) => {
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    return h;
  };

  it("refuses Monit's bad ping and url rules with Monit's messages (H04, H05, H10, H15)", () => {
    const cases = [
      ['check host h with address 127.0.0.1\n  if failed ping size 4 then alert\n', ":2: The minimum ping size is 8 bytes '4'"],
      // H05 is `check process`; any service type but host gives the same error.
      ['check file f with path /etc/hosts\n  if failed ping then alert\n', ":2: syntax error 'ping'"],
      ['check host h with address 127.0.0.1\n  if failed port 80 protocol http method head content = "x" then alert\n',
        `:2: if response content or checksum test is enabled, the HEAD method is not allowed '"x"'`],
      ['check host h with address 127.0.0.1\n  if failed url ftp://example.com/ then alert\n', ":2: URL protocol not supported --  'ftp://'"],
    ];
    for (const [text, message] of cases) {
      const file = writeControlFile(join(t.dir, 'rc'), text);
      const res = warden(['-t', '-c', file]);
      assert.equal(res.status, 1, text);
      assert.ok(res.stderr.includes(`${file}${message}`), `${res.stderr} lacks ${message}`);
    }
  });

  it('alerts when a web server starts failing and when it recovers, by url and by port protocol http', async () => {
    let status = 200;
    const server = createHttpServer((req, res) => {
      res.statusCode = req.url === '/health' ? status : 404;
      res.end('all ok\n');
    });
    const port = await listen(server);
    // A second server that only the url test talks to, to see keep-alive across cycles.
    let requests = 0;
    let connections = 0;
    const keep = createHttpServer({ keepAliveTimeout: 30_000 }, (req, res) => { requests++; res.end('kept\n'); });
    keep.on('connection', () => connections++);
    const keepPort = await listen(keep);
    try {
      const file = writeControlFile(join(t.dir, 'monitrc'), base([
        'check host keep with address 127.0.0.1',
        `  if failed url http://127.0.0.1:${keepPort}/ then alert`,
        'check host web with address 127.0.0.1',
        `  if failed url http://127.0.0.1:${port}/health and content = "ok" then alert`,
        `  if failed port ${port} protocol http request "/health" status = 200 then alert`,
      ]));
      start(file);
      await waitFor(() => /'web' connection succeeded to \[127\.0\.0\.1\]:\d+\/health \[TCP\/IP\]/.test(logText()), 15_000, 'url ok');
      await waitFor(() => /'web' succeeded testing protocol \[HTTP\]/.test(logText()), 15_000, 'port protocol http ok');
      status = 500;
      const failure = `failed protocol test [HTTP] at [127.0.0.1]:${port}/health [TCP/IP] -- HTTP error: Server returned status 500`;
      await waitFor(() => logText().includes(`error    : 'web' ${failure}`), 15_000, 'the failure');
      await waitFor(() => logText().split('\n').filter((l) => l.includes(`'web' alert: Connection failed -- ${failure}`)).length === 2, 15_000, 'two alerts');
      status = 200;
      await waitFor(() => logText().includes(`'web' alert: Connection succeeded -- connection succeeded to [127.0.0.1]:${port}/health [TCP/IP]`), 15_000, 'recovery');
      assert.ok(requests >= 3, `${requests} requests`);
      assert.equal(connections, 1, `${requests} cycles of the url test over one keep-alive connection`);
    } finally {
      await close(server);
      await close(keep);
    }
  });

  it('verifies TLS certificates unless told not to, and speaks HTTP inside a port test\'s TLS', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(t.dir, 'key.pem'), '-out', join(t.dir, 'cert.pem')], { stdio: 'ignore', timeout: 20_000 });
    const server = createHttpsServer({ key: readFileSync(join(t.dir, 'key.pem')), cert: readFileSync(join(t.dir, 'cert.pem')) }, (req, res) => res.end('secure ok\n'));
    const port = await listen(server);
    try {
      const file = writeControlFile(join(t.dir, 'monitrc'), base([
        'check host strict with address 127.0.0.1',
        `  if failed url https://127.0.0.1:${port}/ then alert`,
        'check host lenient with address 127.0.0.1',
        `  if failed url https://127.0.0.1:${port}/ content = "secure" ssl { verify: disable } then alert`,
        `  if failed port ${port} protocol https request "/" content = "secure" then alert`,
      ]));
      start(file);
      await waitFor(() => logText().includes(`'strict' failed protocol test [HTTPS] at [127.0.0.1]:${port}/ [TCP/IP TLS] -- TLS certificate verification failed -- self-signed certificate`), 15_000, 'strict fails');
      await waitFor(() => logText().includes(`'lenient' connection succeeded to [127.0.0.1]:${port}/ [TCP/IP TLS]`), 15_000, 'lenient passes');
      await waitFor(() => /'lenient' succeeded testing protocol \[HTTPS\]/.test(logText()), 15_000, 'protocol https over the TLS the port test set up');
    } finally {
      await close(server);
    }
  });

  describe('ping', () => {
    const tag = String(process.pid % 100_000);
    const ns = `wardenping${tag}`;
    const [outer, inner] = [`wea${tag}`, `web${tag}`];
    // A /30 of the benchmark range (198.18.0.0/15) unlike the plugin's own test's.
    const third = (process.pid + 128) % 256;
    const [near, far] = [`198.19.${third}.1`, `198.19.${third}.2`];

    before(() => {
      ip('netns', 'add', ns);
      ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
      ip('link', 'set', inner, 'netns', ns);
      ip('addr', 'add', `${near}/30`, 'dev', outer);
      ip('link', 'set', outer, 'up');
      ip('-n', ns, 'addr', 'add', `${far}/30`, 'dev', inner);
      ip('-n', ns, 'link', 'set', inner, 'up');
    });
    after(() => {
      try { ip('netns', 'del', ns); } catch { /* gone */ }
      try { ip('link', 'del', outer); } catch { /* went with the namespace */ }
    });

    it('pings loopback over IPv4 and IPv6, and alerts when a host in a namespace goes away', async () => {
      const file = writeControlFile(join(t.dir, 'monitrc'), base([
        'check host four with address 127.0.0.1',
        '  if failed ping count 1 with timeout 1 second then alert',
        'check host six with address "::1"',
        '  if failed ping6 count 1 then alert',
        `check host remote with address ${far}`,
        '  if failed icmp type echo count 1 with timeout 1 second then alert',
      ]));
      start(file);
      for (const name of ['four', 'six', 'remote']) {
        await waitFor(() => new RegExp(`'${name}' ping test succeeded \\[response time \\d+\\.\\d{3} ms\\]`).test(logText()), 15_000, `${name} answers`);
      }
      // Remove the far address (not the namespace): the route stays on the veth, so no echo
      // request can leave towards a real network while the host is "down".
      ip('-n', ns, 'addr', 'flush', 'dev', inner);
      await waitFor(() => /error\s+: 'remote' ping test failed/.test(logText()), 15_000, 'the ping failure');
      await waitFor(() => /'remote' alert: ICMP failed -- ping test failed/.test(logText()), 15_000, 'the alert');
      ip('-n', ns, 'addr', 'add', `${far}/30`, 'dev', inner);
      await waitFor(() => /'remote' alert: ICMP succeeded -- ping test succeeded/.test(logText()), 15_000, 'the recovery');
      assert.doesNotMatch(logText(), /'(four|six)' ping test failed/);
    });
  });
});
