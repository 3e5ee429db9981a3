import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real peers for the tests: a loopback HTTP server with a few routes, HTTPS servers with
 * certificates made by `openssl` in a temporary folder. Not part of the plugin's API.
 */

/** A running test server. */
export interface Peer {
  readonly port: number;
  /** TCP connections accepted so far (keep-alive shows as 1 for many requests). */
  readonly connections: () => number;
  /** Requests seen, in order. */
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

/** Certificates for the HTTPS cases, all PEM paths. */
export interface Certs {
  readonly dir: string;
  readonly key: string;
  /** A CA the tests trust with `cacertificatefile`. */
  readonly ca: string;
  /** Signed by the CA for localhost and 127.0.0.1, valid for a day. */
  readonly good: string;
  /** Signed by the CA, expired yesterday. */
  readonly expired: string;
  /** Signed by the CA for `wrong.example` only. */
  readonly wrongName: string;
  /** Self-signed for localhost, made with `openssl req -x509 -newkey rsa:2048 -nodes -days 1`. */
  readonly selfSigned: string;
  readonly selfSignedKey: string;
  cleanup(): void;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });

/** Make every certificate in a fresh folder (one RSA key shared, to keep it fast). */
export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'warden-http-certs-'));
  const at = (name: string) => join(dir, name);
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', at('key.pem')]);
  openssl(['req', '-x509', '-key', at('key.pem'), '-days', '1', '-subj', '/CN=warden-test-ca', '-out', at('ca.pem')]);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', at('self-key.pem'), '-out', at('self.pem')]);
  const sign = (name: string, cn: string, san: string, days: string) => {
    writeFileSync(at(`${name}.ext`), `subjectAltName=${san}\n`);
    openssl(['req', '-new', '-key', at('key.pem'), '-subj', `/CN=${cn}`, '-out', at(`${name}.csr`)]);
    openssl(['x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('key.pem'), '-CAcreateserial',
      '-days', days, '-extfile', at(`${name}.ext`), '-out', at(`${name}.pem`)]);
    return at(`${name}.pem`);
  };
  return {
    dir,
    key: at('key.pem'),
    ca: at('ca.pem'),
    good: sign('good', 'localhost', 'DNS:localhost,IP:127.0.0.1', '1'),
    expired: sign('expired', 'localhost', 'DNS:localhost,IP:127.0.0.1', '-1'),
    wrongName: sign('wrong', 'wrong.example', 'DNS:wrong.example', '1'),
    selfSigned: at('self.pem'),
    selfSignedKey: at('self-key.pem'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Hooks a test can set on the routes (advance a fake clock, stall). */
export interface RouteHooks {
  onRequest?: (req: IncomingMessage) => void;
}

/**
 * Routes: `/ok` (200 `hello warden`), `/status/N`, `/redirect` (302 to /ok), `/auth`
 * (401 unless Basic user:secret), `/echo` (the request's headers as JSON), `/empty`,
 * `/big` (100 MB, streamed with back-pressure), `/hang` (never answers).
 */
function handle(hooks: RouteHooks) {
  return (req: IncomingMessage, res: ServerResponse) => {
    hooks.onRequest?.(req);
    const url = req.url ?? '/';
    const status = /^\/status\/(\d{3})$/.exec(url);
    if (url === '/ok' || url === '/' || url.startsWith('/ok?')) {
      res.end('hello warden\n');
    } else if (status) {
      res.statusCode = Number(status[1]);
      res.end(`status ${status[1]}\n`);
    } else if (url === '/redirect') {
      res.writeHead(302, { location: '/ok' }).end();
    } else if (url === '/auth') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('user:secret').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, ok ? {} : { 'www-authenticate': 'Basic realm="t"' }).end(ok ? 'welcome\n' : 'no\n');
    } else if (url === '/echo') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, headers: req.headers }));
    } else if (url === '/empty') {
      res.writeHead(200, { 'content-length': '0' }).end();
    } else if (url === '/big') {
      streamBig(res, 100 * 1024 * 1024);
    } else if (url === '/hang') {
      // Never answers; the client's abort or the server's close ends it.
    } else {
      res.statusCode = 404;
      res.end('not found\n');
    }
  };
}

function streamBig(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  res.writeHead(200, { 'content-length': String(total) });
  let sent = 0;
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

async function listen(server: Server, host: string): Promise<Peer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const requests: IncomingMessage[] = [];
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('request', (req: IncomingMessage) => requests.push(req));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    connections: () => connections,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server on `host` (127.0.0.1 by default) and a free port. */
export function httpPeer(hooks: RouteHooks = {}, host = '127.0.0.1'): Promise<Peer> {
  const server = createHttpServer({ keepAliveTimeout: 30_000 }, handle(hooks));
  return listen(server, host);
}

/** An HTTPS server presenting `cert` (with `key`). */
export function httpsPeer(cert: string, key: string, hooks: RouteHooks = {}): Promise<Peer> {
  const server = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key), keepAliveTimeout: 30_000 }, handle(hooks));
  return listen(server, '127.0.0.1');
}
