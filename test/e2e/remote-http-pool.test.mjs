// `if failed port P protocol http` keeps its connection from one cycle to the next (one
// keep-alive pool per endpoint): the real daemon against a node HTTP server that this test
// restarts and stops between cycles. A restart must not be reported as a failure (the kept
// socket is gone, the request goes out on a new one); a stopped server must be reported on
// the next cycle, in Monit's words.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { count, readText, startWarden, stopChild, tempDir, waitFor, writeControlFile } from './harness.mjs';

/** An HTTP server on 127.0.0.1 (`port` 0: any) that keeps idle connections 30 s; counts them. */
async function serve(port = 0) {
  let connections = 0;
  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    res.statusCode = req.url === '/health' ? 200 : 404;
    res.end('ok\n');
  });
  server.on('connection', () => connections++);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { port: server.address().port, connections: () => connections, stop: () => stopServer(server) };
}

function stopServer(server) {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('protocol http on a port test over a kept connection (daemon)', function () {
  this.timeout(60_000);
  let t;
  const cleanups = [];
  before(() => { t = tempDir(); });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
    t.cleanup();
  });

  it('reuses one connection across cycles, passes a restarted server, reports a stopped one on the next cycle', async () => {
    let peer = await serve();
    const { port } = peer;
    cleanups.push(() => peer.stop());
    // Stays up, so the daemon stops with a kept connection open.
    const other = await serve();
    cleanups.push(() => other.stop());
    const log = join(t.dir, 'warden.log');
    const rc = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${log}`,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      'check host web with address 127.0.0.1',
      `  if failed port ${port} protocol http request "/health" then alert`,
      'check host other with address 127.0.0.1',
      `  if failed port ${other.port} protocol http request "/health" then alert`,
      '',
    ].join('\n'));
    const h = startWarden(['-I', '-v', '-c', rc]);
    cleanups.push(() => stopChild(h, 'SIGKILL'));
    const text = () => readText(log);
    const passed = () => count(text(), /'web' succeeded testing protocol \[HTTP\] at \[127\.0\.0\.1\]:\d+\/health \[TCP\/IP\]/);
    const failedLines = () => count(text(), /'web' failed protocol test/);

    await waitFor(() => passed() >= 3, 15_000, 'three passing cycles').catch((err) => { throw new Error(`${err.message}; the log:\n${text()}`); });
    assert.equal(peer.connections(), 1, 'three cycles over one keep-alive connection');

    // Restart the server between two cycles, on the same port: right after a check passed, so
    // the next check (a second away) cannot fall in the instant the port is closed.
    const seen = passed();
    await waitFor(() => passed() > seen, 5_000, 'a passing cycle before the restart');
    const before = passed();
    await peer.stop();
    peer = await serve(port);
    await waitFor(() => passed() >= before + 3, 15_000, 'three passing cycles after the restart');
    assert.equal(failedLines(), 0, text());

    // Stop it: the next cycle says so, as when every check opened its own connection.
    const stoppedAt = passed();
    await peer.stop();
    const failure = `'web' failed protocol test [HTTP] at [127.0.0.1]:${port}/health [TCP/IP] -- Connection refused`;
    await waitFor(() => text().includes(failure), 5_000, 'the failure on the next cycle');
    assert.ok(passed() <= stoppedAt + 1, 'at most the cycle already under way passed');

    // The kept connection to `other` does not hold the daemon up at SIGTERM (stopChild kills
    // it after 10 s, which would show as no exit code).
    assert.equal(other.connections(), 1);
    const exit = await stopChild(h);
    assert.equal(exit.code, 0);
  });
});
