// `check host` and the port tests as an operator runs them: the real daemon against real
// peers on loopback (redis-server, Python's smtpd, a TLS server with an openssl certificate,
// a server that never answers), plus `-t` errors and a file-descriptor leak check.
// Needs Debian's redis-server, python3 and openssl; a missing one fails the test.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { join } from 'node:path';
import { count, readText, startWarden, stopChild, tempDir, waitFor, warden, writeControlFile } from './harness.mjs';

const listen = (server) => new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => resolve(server.address().port));
});
const closeServer = (server) => new Promise((resolve) => server.close(() => resolve()));

async function freePort() {
  const s = createServer();
  const port = await listen(s);
  await closeServer(s);
  return port;
}

const accepts = (port) => new Promise((resolve) => {
  const c = new Socket();
  c.once('connect', () => { c.destroy(); resolve(true); });
  c.once('error', () => { c.destroy(); resolve(false); });
  c.connect(port, '127.0.0.1');
});

/** Start a real server program and wait (bounded) until it accepts on `port`; stop it by pid. */
async function startPeer(argv, port) {
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  const failed = new Promise((_, reject) => child.once('error', reject));
  for (let i = 0; i < 200 && !(await Promise.race([failed, accepts(port)])); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await accepts(port))) throw new Error(`${argv[0]} did not start on port ${port}`);
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

describe('check host and port tests (daemon)', function () {
  this.timeout(60_000);
  let t;
  const cleanups = [];
  before(() => { t = tempDir(); });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    t.cleanup();
  });

  it('speaks to real peers and logs in Monit\'s words; times out within the timeout; leaks no fds', async () => {
    const closed = await freePort();
    const silent = createServer((s) => s.resume());
    const silentPort = await listen(silent);
    cleanups.push(() => closeServer(silent));
    const open = createServer((s) => s.resume());
    const openPort = await listen(open);
    cleanups.push(() => closeServer(open));

    const redisPort = await freePort();
    const redisPeer = await startPeer(['redis-server', '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], redisPort);
    cleanups.push(redisPeer.stop);
    const smtpPort = await freePort();
    const smtpPeer = await startPeer(['python3', '-W', 'ignore', '-m', 'smtpd', '-n', '-c', 'DebuggingServer', `127.0.0.1:${smtpPort}`], smtpPort);
    cleanups.push(smtpPeer.stop);

    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(t.dir, 'key.pem'), '-out', join(t.dir, 'cert.pem'), '-days', '365', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const der = execFileSync('openssl', ['x509', '-in', join(t.dir, 'cert.pem'), '-outform', 'DER']);
    const sha1 = createHash('sha1').update(der).digest('hex').toUpperCase();
    const tls = createTlsServer({ key: readFileSync(join(t.dir, 'key.pem')), cert: readFileSync(join(t.dir, 'cert.pem')) }, (s) => { s.on('error', () => s.destroy()); s.resume(); });
    const tlsPort = await listen(tls);
    cleanups.push(() => closeServer(tls));

    const log = join(t.dir, 'warden.log');
    const rc = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${log}`,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      'check host self with address 127.0.0.1',
      `  if failed port ${closed} then alert`,
      `  if failed port ${openPort} then alert`,
      'check host cache with address localhost',
      `  if failed port ${redisPort} ipv4 protocol redis then alert`,
      'check host mail with address 127.0.0.1',
      `  if failed port ${smtpPort} protocol smtp with timeout 2 seconds then alert`,
      'check host mute with address 127.0.0.1',
      `  if failed port ${silentPort} protocol smtp with timeout 1 seconds then alert`,
      'check host secure with address 127.0.0.1',
      `  if failed port ${tlsPort} with ssl and certificate valid > 30 days then alert`,
      `  if failed port ${tlsPort} with ssl certificate checksum sha1 "${sha1}" then alert`,
      'check host pinned with address 127.0.0.1',
      `  if failed port ${tlsPort} with ssl certificate checksum sha1 "1ED948A6F4258ACAB964227EF4EB19FCC453B0F8" then alert`,
      'check host nowhere with address nosuch.invalid',
      '  if failed port 80 then alert',
      '',
    ].join('\n'));
    const h = startWarden(['-I', '-v', '-c', rc]);
    cleanups.push(() => stopChild(h, 'SIGKILL'));
    const text = () => readText(log);

    await waitFor(() => text().includes(`'self' failed protocol test [DEFAULT] at [127.0.0.1]:${closed} [TCP/IP] -- Connection refused`), 10_000, 'closed port');
    await waitFor(() => new RegExp(`'self' succeeded testing protocol \\[DEFAULT\\] at \\[127\\.0\\.0\\.1\\]:${openPort} \\[TCP/IP\\] \\[response time \\d+\\.\\d{3} ms\\]`).test(text()), 10_000, 'open port');
    await waitFor(() => /'self' alert: Connection failed/.test(text()), 10_000, 'alert');
    assert.match(text(), new RegExp(`'self' alert: Connection failed -- failed protocol test \\[DEFAULT\\] at \\[127\\.0\\.0\\.1\\]:${closed} \\[TCP/IP\\] -- Connection refused`));
    await waitFor(() => new RegExp(`'cache' succeeded testing protocol \\[REDIS\\] at \\[localhost\\]:${redisPort} \\[TCP/IPv4\\]`).test(text()), 10_000, 'redis');
    await waitFor(() => new RegExp(`'mail' succeeded testing protocol \\[SMTP\\] at \\[127\\.0\\.0\\.1\\]:${smtpPort}`).test(text()), 10_000, 'smtp');
    await waitFor(() => /'mute' failed protocol test \[SMTP\] .* -- no response within 1 s/.test(text()), 10_000, 'silent server');
    await waitFor(() => /'secure' succeeded testing protocol \[DEFAULT\] .* \[TCP\/IP SSL\]/.test(text()), 10_000, 'tls');
    assert.doesNotMatch(text(), /'secure' failed/);
    await waitFor(() => /'pinned' failed protocol test \[DEFAULT\] .* -- certificate checksum [0-9A-F]{40} does not match the expected SHA1 1ED948A6/.test(text()), 10_000, 'wrong checksum');
    await waitFor(() => /'nowhere' failed protocol test \[DEFAULT\] at \[nosuch\.invalid\]:80 \[TCP\/IP\] -- Cannot translate 'nosuch\.invalid' to IP address/.test(text()), 10_000, 'unresolvable host');

    // The silent server's failure arrives within its 1 s timeout, not the runner's 30 s default.
    assert.doesNotMatch(text(), /'mute' .*timed out after/);

    // File descriptors: stable across cycles (every socket closed, every peer answered or timed out).
    // A snapshot may fall in the middle of a cycle with every probe's socket open, so compare the
    // fewest fds seen while three cycles run, early and later: a leak raises that floor every cycle.
    const fds = () => readdirSync(`/proc/${h.child.pid}/fd`).length;
    const cycles = () => count(text(), /'self' failed protocol test/);
    const floorOver = async (n) => {
      const start = cycles();
      let floor = Infinity;
      for (let i = 0; i < 200 && cycles() < start + n; i++) {
        floor = Math.min(floor, fds());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(cycles() >= start + n, `${n} more cycles within 10 s`);
      return floor;
    };
    const first = await floorOver(3);
    const second = await floorOver(4);
    assert.ok(second <= first + 2, `open fds grew from ${first} to ${second}`);
    const exit = await stopChild(h);
    assert.equal(exit.code, 0);
  });

  it('-t: unknown protocol, expect with a named protocol, port on a file, bare websocket', () => {
    const cases = [
      ['check host h with address 127.0.0.1\n  if failed port 80 protocol gopher then alert\n', /:2: syntax error 'gopher'/],
      ['check host h with address 127.0.0.1\n  if failed port 6379 protocol redis expect "x" then alert\n', /:2: The EXPECT statement is not allowed in the REDIS protocol context '"x"'/],
      ['check file f with path /etc/hosts\n  if failed port 80 then alert\n', /:2: syntax error 'port'/],
      ['check host h with address 127.0.0.1\n  if failed port 38 protocol websocket then alert\n', /:2: syntax error 'then'/],
    ];
    for (const [text, expected] of cases) {
      const rc = writeControlFile(join(t.dir, 'bad.rc'), text);
      const res = warden(['-t', '-c', rc]);
      assert.equal(res.status, 1, res.stdout + res.stderr);
      assert.match(res.stderr, expected);
    }
  });
});
