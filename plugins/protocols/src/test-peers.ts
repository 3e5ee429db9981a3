// Loopback peers for this plugin's tests: real servers started on free ports, stopped by pid.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';

/** A running peer. */
export interface Peer {
  readonly port: number;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Peer> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** Accepts connections and never says a word. */
export function silentServer(): Promise<Peer> {
  return listen(createServer((s) => s.resume()));
}

/** Writes `bytes` of garbage (no newline) to every client, in 64 KiB chunks while they read. */
export function floodServer(bytes: number): Promise<Peer> {
  return listen(createServer((s) => {
    const chunk = Buffer.alloc(65536, 0x41);
    let left = bytes;
    const pump = () => {
      while (left > 0 && !s.destroyed) {
        left -= chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
  }));
}

/** A free TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const peer = await listen(createServer());
  await peer.close();
  return peer.port;
}

/** A self-signed certificate for `CN=localhost`, valid `days` days, made by openssl. */
export function selfSignedCert(days: number): { key: string; cert: string; der: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'warden-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', String(days), '-subj', '/CN=localhost'], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-outform', 'DER', '-out', join(dir, 'cert.der')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), der: readFileSync(join(dir, 'cert.der')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TLS server with `cert` that greets with `greeting` (a Redis-like `+PONG` by default). */
export async function tlsServer(cert: { key: string; cert: string }, greeting = '+PONG\r\n'): Promise<Peer> {
  const server = createTlsServer({ key: cert.key, cert: cert.cert }, (s) => { s.on('error', () => s.destroy()); s.on('data', () => s.write(greeting)); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Start a real daemon (`redis-server`, `memcached`) on `port` and wait until it accepts. */
export async function startDaemon(argv: readonly string[], port: number): Promise<Peer & { child: ChildProcess }> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  for (let i = 0; i < 100; i++) {
    const up = await Promise.race([failed, canConnect(port)]);
    if (up) break;
    if (i === 99) throw new Error(`${argv[0]} did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    child,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = new Socket();
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => { c.destroy(); resolve(false); });
    c.connect(port, '127.0.0.1');
  });
}

/**
 * An SMTP server that offers STARTTLS (RFC 3207) with `cert` unless `offer` is false:
 * 220, EHLO → 250, STARTTLS → 220 + TLS handshake, EHLO → 250, QUIT → 221.
 */
export async function starttlsSmtpServer(cert: { key: string; cert: string }, offer = true): Promise<Peer> {
  const serve = (s: Socket | TLSSocket, secure: boolean) => {
    s.on('error', () => s.destroy());
    let buffered = '';
    const onData = (d: Buffer) => {
      buffered += d.toString('latin1');
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i).trim();
        buffered = buffered.slice(i + 1);
        if (/^EHLO/i.test(line)) s.write(secure || !offer ? '250 hello\r\n' : '250-hello\r\n250 STARTTLS\r\n');
        else if (/^STARTTLS/i.test(line) && !secure) {
          s.off('data', onData);
          s.write('220 go ahead\r\n', () => serve(new TLSSocket(s as Socket, { isServer: true, key: cert.key, cert: cert.cert }), true));
          return;
        } else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
        else s.write('500 what\r\n');
      }
    };
    s.on('data', onData);
  };
  return listen(createServer((s) => { s.write('220 mail ESMTP\r\n'); serve(s, false); }));
}

/** What a scripted peer reads from its client: exact byte counts or lines. */
export interface PeerInput {
  bytes(n: number): Promise<Buffer>;
  line(): Promise<string>;
  /** Bytes received and not read yet (handed back with `unshift` before a TLS upgrade). */
  rest(): Buffer;
}

function peerInput(s: Socket): PeerInput {
  let buffer = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  let ended = false;
  s.on('data', (d: Buffer) => { buffer = Buffer.concat([buffer, d]); wake?.(); });
  s.on('close', () => { ended = true; wake?.(); });
  const take = async (size: (b: Buffer) => number): Promise<Buffer> => {
    for (let i = 0; i < 1000; i++) {
      const n = size(buffer);
      if (n >= 0) { const out = buffer.subarray(0, n); buffer = buffer.subarray(n); return out; }
      if (ended) throw new Error('client closed');
      await new Promise<void>((r) => { wake = r; });
    }
    throw new Error('client sent too little');
  };
  return {
    bytes: (n) => take((b) => (b.length >= n ? n : -1)),
    line: async () => (await take((b) => { const i = b.indexOf(0x0a); return i < 0 ? -1 : i + 1; })).toString('utf8').replace(/\r?\n$/, ''),
    rest: () => { const out = buffer; buffer = Buffer.alloc(0); return out; },
  };
}

/** A loopback TCP peer that runs `script` for every client; errors just close the client. */
/** What a scripted peer does with one connection. */
export type PeerScript = (s: Socket, input: PeerInput) => Promise<void>;

export function scriptedPeer(script: PeerScript): Promise<Peer> {
  return listen(createServer((s) => {
    s.on('error', () => s.destroy());
    script(s, peerInput(s)).catch(() => s.destroy());
  }));
}
