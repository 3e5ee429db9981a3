import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect as netConnect, createServer as createNetServer, type Socket } from 'node:net';
import type { PooledProtocolContext, ProbeResult } from '@warden/sdk';
import { CapturedLogger, tokens } from '@warden/sdk/testing';
import type { HttpOptions } from './http-options.js';
import { httpPools } from './pools.js';
import { httpProtocolDefinition } from './protocol.js';

/** A server on `port` (0: any) answering 200; counts the connections it accepted. */
async function serve(port = 0): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer({ keepAliveTimeout: 30_000 }, (_req, res) => res.end('ok\n'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as { port: number }).port, connections: () => connections };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The family's side of `speakPooled`: a key for the endpoint and a plain TCP connector. */
function speak(port: number): Promise<ProbeResult> {
  const options = httpProtocolDefinition.parse!(tokens('request "/health"')) as HttpOptions;
  const ctx: PooledProtocolContext<HttpOptions> = {
    options,
    signal: AbortSignal.timeout(5000),
    log: new CapturedLogger(),
    peer: { host: '127.0.0.1', port, tls: false },
    key: `tcp 127.0.0.1 ${port}`,
    connect: (signal) => new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ host: '127.0.0.1', port, signal }, () => resolve(s));
      s.once('error', reject);
    }),
  };
  return httpProtocolDefinition.speakPooled!(ctx);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('protocol http through the keep-alive pool', () => {
  after(() => httpPools.close());

  it('reuses one connection from one check to the next', async () => {
    const peer = await serve();
    try {
      for (let i = 0; i < 3; i++) {
        assert.equal((await speak(peer.port)).status, 'ok');
        await settle();
      }
      assert.equal(peer.connections(), 1);
    } finally {
      await stop(peer.server);
    }
  });

  it('passes after the server restarted between checks, and reports a stopped server at once', async () => {
    const first = await serve();
    const port = first.port;
    assert.equal((await speak(port)).status, 'ok');
    await stop(first.server);
    await settle();
    const second = await serve(port);
    try {
      const again = await speak(port);
      assert.equal(again.status, 'ok', again.message);
      assert.equal(second.connections(), 1);
    } finally {
      await stop(second.server);
    }
    await settle();
    await assert.rejects(speak(port), { code: 'ECONNREFUSED' });
  });

  it('sends the request again when the server drops a kept connection as the request arrives', async () => {
    // The keep-alive race: the server times out the idle connection just as the next request
    // comes in. Each connection here answers its first request and resets on its second.
    const sockets: Socket[] = [];
    const server = createNetServer((socket) => {
      sockets.push(socket);
      let requests = 0;
      socket.on('data', () => {
        if (++requests > 1) return socket.resetAndDestroy();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nKeep-Alive: timeout=30\r\n\r\nok\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    try {
      assert.equal((await speak(port)).status, 'ok');
      await settle();
      const result = await speak(port);
      assert.equal(result.status, 'ok', result.message);
      assert.equal(sockets.length, 2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
