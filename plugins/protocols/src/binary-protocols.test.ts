import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe } from './probe-helper.js';

/** A loopback peer that answers the first chunk a client sends (or its connect, for `greet`). */
async function peer(answer: (request: Buffer) => Buffer, greet = false, path?: string): Promise<{ where: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    if (greet) s.write(answer(Buffer.alloc(0)));
    else s.once('data', (d) => s.write(answer(d)));
    s.resume();
  });
  await new Promise<void>((r) => (path ? server.listen(path, r) : server.listen(0, '127.0.0.1', r)));
  return {
    where: path ?? String((server.address() as AddressInfo).port),
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

const MYSQL_HANDSHAKE = (() => {
  const payload = Buffer.concat([Buffer.from([0x0a]), Buffer.from('10.11.6-MariaDB\0', 'latin1'), Buffer.alloc(40)]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  return Buffer.concat([header, payload]);
})();

describe('protocols: binary dialogues against loopback peers', function () {
  this.timeout(10_000);

  const cases: Array<[string, (req: Buffer) => Buffer, boolean, RegExp | 'ok']> = [
    ['mysql', () => MYSQL_HANDSHAKE, true, 'ok'],
    ['mysql', () => Buffer.concat([Buffer.from([0x17, 0, 0, 0, 0xff, 0x6a, 0x04]), Buffer.from('Host is not allowed.', 'latin1')]), true, /MYSQL: server error 1130: Host is not allowed/],
    ['pgsql', (req) => (req.readInt32BE(4) === 196608 ? Buffer.from('520000000c00000005aabbccdd', 'hex') : Buffer.alloc(0)), false, 'ok'],
    ['pgsql', () => Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), false, /PGSQL: invalid startup response/],
    ['ldap3', (req) => (req[5] === 0x60 ? Buffer.from('300c02010161070a010004000400', 'hex') : Buffer.alloc(0)), false, 'ok'],
    ['ldap3', () => Buffer.from('300c02010161070a013104000400', 'hex'), false, /LDAP: bind failed with result code 49/],
  ];
  for (const [name, answer, greet, expected] of cases) {
    it(`${name}: ${expected === 'ok' ? 'succeeds' : `fails: ${expected.source}`}`, async () => {
      const p = await peer(answer, greet);
      try {
        const r = await probe(`port ${p.where} protocol ${name} with timeout 1 s`);
        if (expected === 'ok') assert.equal(r.status, 'ok', r.message);
        else {
          assert.equal(r.code, 'protocols.protocol', r.message);
          assert.match(r.message, expected);
        }
      } finally {
        await p.close();
      }
    });
  }

  it('unixsocket: speaks redis over a unix socket; a missing socket fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-unix-'));
    const path = join(dir, 'redis.sock');
    const p = await peer(() => Buffer.from('+PONG\r\n'), false, path);
    try {
      const r = await probe(`unixsocket ${path} protocol redis`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, new RegExp(`^succeeded testing protocol \\[REDIS\\] at ${path} \\[UNIX\\]`));
      const missing = await probe(`unixsocket ${join(dir, 'nope.sock')}`);
      assert.equal(missing.code, 'protocols.connection');
      assert.match(missing.message, /\[UNIX\] -- No such file or directory$/);
    } finally {
      await p.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on a service that is not a host, a port test connects to localhost', async () => {
    const p = await peer(() => Buffer.from('+PONG\r\n'));
    try {
      const r = await probe(`port ${p.where} protocol redis`, { pid: 1 });
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, /at \[localhost\]:\d+ /);
    } finally {
      await p.close();
    }
  });

  it('responsetime OP N is the failure condition, as Monit\'s `if failed port 80 responsetime > 500 ms`', async () => {
    const p = await peer(() => Buffer.from('+PONG\r\n'));
    try {
      const slow = await probe(`port ${p.where} protocol redis responsetime > 0 ms`);
      assert.equal(slow.code, 'protocols.responsetime');
      assert.match(slow.message, /^response time \d+\.\d{3} ms to \[127\.0\.0\.1\]:\d+ \[TCP\/IP\] protocol REDIS matches limit \[responsetime > 0 ms\]$/);
      const fast = await probe(`port ${p.where} protocol redis responsetime > 5 s`);
      assert.equal(fast.status, 'ok', fast.message);
    } finally {
      await p.close();
    }
  });
});
