import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ProbeResult } from '@warden/sdk';
import { CapturedLogger, scriptedServer, tokens } from '@warden/sdk/testing';
import { httpProtocolDefinition, httpsProtocolDefinition } from './protocol.js';
import { httpPeer, httpsPeer, makeCerts, type Certs, type Peer } from './test-peers.js';

/** Connect the way the `protocols` family does, then let the protocol speak. */
async function speak(port: number, words: string, tls?: { servername: string }, peer?: { host: string; port: number; tls: boolean }): Promise<ProbeResult> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = tls
      ? tlsConnect({ host: '127.0.0.1', port, servername: tls.servername, rejectUnauthorized: false }, () => resolve(s))
      : netConnect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  const def = tls ? httpsProtocolDefinition : httpProtocolDefinition;
  const ts = tokens(words || 'then');
  const options = def.parse!(ts);
  try {
    return await def.speak({ socket, options, signal: AbortSignal.timeout(5000), log: new CapturedLogger(), ...(peer ? { peer } : {}) });
  } finally {
    socket.destroy();
  }
}

describe('protocol http over a socket the port test opened', () => {
  let peer: Peer;
  before(async () => {
    peer = await httpPeer();
  });
  after(() => peer.close());

  it('declares itself for `protocol http` and `protocol https`', () => {
    assert.equal(httpProtocolDefinition.name, 'http');
    assert.equal(httpProtocolDefinition.defaultPort, 80);
    assert.equal(httpsProtocolDefinition.name, 'https');
    assert.equal(httpsProtocolDefinition.defaultPort, 443);
  });

  it('speaks HTTP over the given socket without opening its own', async () => {
    const before = peer.connections();
    const result = await speak(peer.port, 'request "/ok" status = 200 content = "warden"');
    assert.equal(result.status, 'ok', result.message);
    assert.equal(result.observations?.httpStatus, 200);
    assert.equal(peer.connections() - before, 1);
  });

  it('returns Monit\'s HTTP error text for the port test to wrap', async () => {
    const result = await speak(peer.port, 'request "/status/500"');
    assert.deepEqual([result.status, result.code, result.message], ['failed', 'http-check.status', 'HTTP error: Server returned status 500']);
    assert.equal((await speak(peer.port, 'request "/ok" content = "nope"')).message, "HTTP error: Regular expression doesn't match: No match");
  });

  it('sends the host the rule names as Host (the address without one) unless hostheader says otherwise', async () => {
    const n = peer.requests.length;
    await speak(peer.port, 'request "/echo"');
    await speak(peer.port, 'request "/echo" hostheader "example.org" username "user" password "secret"');
    await speak(peer.port, 'request "/echo"', undefined, { host: 'localhost', port: peer.port, tls: false });
    await speak(peer.port, 'request "/echo"', undefined, { host: 'web.example', port: 80, tls: false });
    assert.equal(peer.requests[n]!.headers.host, `127.0.0.1:${peer.port}`);
    assert.equal(peer.requests[n + 1]!.headers.host, 'example.org');
    assert.equal(peer.requests[n + 1]!.headers.authorization, `Basic ${Buffer.from('user:secret').toString('base64')}`);
    assert.equal(peer.requests[n + 2]!.headers.host, `localhost:${peer.port}`);
    assert.equal(peer.requests[n + 3]!.headers.host, 'web.example');
  });

  it('reports a reply that is not HTTP as a protocol failure', async () => {
    const server = await scriptedServer([{ expect: /GET/ }, { send: 'SSH-2.0-OpenSSH_9.2\r\n\r\n' }, { close: true }]);
    try {
      const result = await speak(server.port, '');
      assert.equal(result.status, 'failed');
      assert.equal(result.code, 'http-check.protocol');
      assert.match(result.message, /^HTTP error: Invalid response -- /);
    } finally {
      await server.close();
    }
  });

  it('reports a peer that closes without answering as a connection failure', async () => {
    const server = await scriptedServer([{ expect: /GET/ }, { close: true }]);
    try {
      const result = await speak(server.port, '');
      assert.equal(result.code, 'http-check.connection');
      assert.match(result.message, /^HTTP: Error receiving data -- /);
    } finally {
      await server.close();
    }
  });
});

describe('protocol https over a TLS socket', function () {
  this.timeout(20_000);
  let certs: Certs;
  let peer: Peer;
  before(async () => {
    certs = makeCerts();
    peer = await httpsPeer(certs.selfSigned, certs.selfSignedKey);
  });
  after(async () => {
    await peer?.close();
    certs?.cleanup();
  });

  it('speaks HTTP inside the TLS session and sends the TLS server name as Host', async () => {
    const n = peer.requests.length;
    const result = await speak(peer.port, 'request "/echo" content = "GET"', { servername: 'localhost' });
    assert.equal(result.status, 'ok', result.message);
    assert.equal(peer.requests[n]!.headers.host, 'localhost');
  });
});
