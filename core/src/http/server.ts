import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type FindMyWay from 'find-my-way';
import type { HTTPVersion, Instance } from 'find-my-way';
import type { HttpdSettings } from '../config/model.js';
import { AccessControl, type Principal } from './access.js';
import type { Handler } from './routes.js';
import type { HttpContext } from './http-context.js';

const MAX_BODY = 64 * 1024;

/** One request as the route handlers see it: parsed query and form, who asked. */
export interface Request {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string | undefined>>;
  /** Query and form fields together (form wins); repeated fields keep every value. */
  readonly fields: URLSearchParams;
  readonly principal: Principal;
  readonly accept: string;
}

/** What a handler answers. */
export interface Reply {
  readonly status?: number;
  readonly type?: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body gzipped, for clients that accept it (cached status documents offer this). */
  readonly gzipped?: () => Buffer;
}

/**
 * The HTTP interface (`set httpd`): node:http (or https with `ssl`) and find-my-way's router.
 * Every request passes the allow list and Basic auth before anything else is read; every
 * POST needs the double-submit CSRF token (`securitytoken` cookie = form field, Monit H16).
 */
export class HttpInterface {
  private constructor(
    private readonly server: Server,
    private readonly settings: HttpdSettings,
  ) {}

  /** Start listening; rejects when the port or socket cannot be bound. */
  static async start(settings: HttpdSettings, ctx: HttpContext): Promise<HttpInterface> {
    const access = await AccessControl.create(settings, (m) => ctx.log.warning(m));
    // The router, the routes and what they render are loaded at the first request: ~10 ms of
    // start-up (find-my-way's module and its route trees) that a daemon nobody asks never pays.
    let router: Promise<Router> | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      router ??= loadRouter(ctx);
      void router.then((r) => handle(req, res, r, access, settings, ctx)).catch((err: unknown) => {
        ctx.log.error(`HttpRequest: ${(err as Error).message}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal error\n');
      });
    };
    const server = settings.ssl?.pemfile
      ? (await import('node:https')).createServer({ cert: readFileSync(settings.ssl.pemchain ?? settings.ssl.pemfile), key: readFileSync(settings.ssl.pemkey ?? settings.ssl.pemfile) }, handler)
      : createHttpServer(handler);
    // Slow or idle clients must not hold the interface: bounded header and request times.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    server.maxConnections = 2048;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (settings.unixsocket) {
        if (existsSync(settings.unixsocket.path)) rmSync(settings.unixsocket.path);
        server.listen(settings.unixsocket.path, () => resolve());
      } else {
        server.listen(settings.port, settings.address, () => resolve());
      }
    });
    if (settings.unixsocket) {
      const { path, uid, gid, permission } = settings.unixsocket;
      if (permission !== undefined) chmodSync(path, permission);
      if (uid !== undefined || gid !== undefined) chownSync(path, uid ?? -1, gid ?? -1);
    }
    return new HttpInterface(server, settings);
  }

  /** Where it listens, for logs and tests. */
  describe(): string {
    if (this.settings.unixsocket) return `unix socket ${this.settings.unixsocket.path}`;
    const a = this.server.address() as AddressInfo;
    return `[${a.address}]:${a.port}`;
  }

  /** The bound TCP port (useful with `port 0` in tests). */
  get port(): number | undefined {
    const a = this.server.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    if (this.settings.unixsocket && existsSync(this.settings.unixsocket.path)) rmSync(this.settings.unixsocket.path);
  }
}

type Router = ReturnType<typeof FindMyWay<HTTPVersion.V1>>;

/** find-my-way's router with every route of the interface. */
async function loadRouter(ctx: HttpContext): Promise<Router> {
  const [{ default: createRouter }, { registerRoutes }] = await Promise.all([import('find-my-way'), import('./routes.js')]);
  const router = createRouter<HTTPVersion.V1>({ ignoreTrailingSlash: true, caseSensitive: true });
  registerRoutes(router as unknown as Instance<HTTPVersion.V1>, ctx);
  return router;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  router: Router,
  access: AccessControl,
  settings: HttpdSettings,
  ctx: HttpContext,
): Promise<void> {
  const common: Record<string, string> = {
    'x-frame-options': 'SAMEORIGIN',
    'content-security-policy': "frame-ancestors 'self'",
    'cache-control': 'no-store',
  };
  if (settings.signature) common.server = `warden/${ctx.version}`;
  const verdict = access.check(req.socket.remoteAddress ?? (settings.unixsocket ? '127.0.0.1' : undefined), req.headers.authorization);
  if (!verdict.ok) {
    if (verdict.status === 401 && /wrong password/.test(verdict.reason)) ctx.log.error(`HttpRequest: ${verdict.reason}`);
    else ctx.log.debug(`HttpRequest: ${verdict.reason}`);
    // Answer before any body is read and close: a refused client may not stream a body at us.
    res.shouldKeepAlive = false;
    res.writeHead(verdict.status, { ...common, connection: 'close', 'content-type': 'text/plain', ...(verdict.status === 401 ? { 'www-authenticate': 'Basic realm="warden"' } : {}) });
    res.end(verdict.status === 401 ? 'You are not authorized to access warden. Either you supplied the wrong credentials (e.g. bad password), or your browser does not understand how to supply the credentials required\n' : 'You are not allowed to access this server\n');
    return;
  }
  const cookieToken = /(?:^|;\s*)securitytoken=([0-9a-f]{32})/.exec(req.headers.cookie ?? '')?.[1];
  const token = cookieToken ?? randomBytes(16).toString('hex');
  common['set-cookie'] = `securitytoken=${token}; Max-Age=600; Path=/; HttpOnly; SameSite=strict`;

  const url = new URL(req.url ?? '/', 'http://warden');
  const fields = new URLSearchParams(url.search);
  const method = req.method ?? 'GET';
  if (method === 'POST') {
    const declared = Number(req.headers['content-length'] ?? 0);
    const body = declared > MAX_BODY ? undefined : await readBody(req);
    if (body === undefined) {
      res.shouldKeepAlive = false;
      res.writeHead(413, { ...common, connection: 'close', 'content-type': 'text/plain' });
      res.end('Request body too large\n');
      return;
    }
    for (const [k, v] of new URLSearchParams(body)) fields.append(k, v);
    const sent = fields.get('securitytoken');
    if (!sent || !cookieToken || sent !== cookieToken) {
      ctx.log.debug(`HttpRequest: ${!sent ? 'missing CSRF token in HTTP parameter' : 'CSRF token mismatch'}`);
      res.writeHead(403, { ...common, 'content-type': 'text/plain' });
      res.end('Invalid CSRF Token\n');
      return;
    }
  }
  const found = router.find(method as 'GET', url.pathname);
  if (!found) {
    res.writeHead(405, { ...common, 'content-type': 'text/plain' });
    res.end('Method not allowed\n');
    return;
  }
  const request: Request = {
    method,
    path: url.pathname,
    params: found.params,
    fields,
    principal: verdict.principal,
    accept: String(req.headers.accept ?? ''),
  };
  const reply = await (found.handler as unknown as Handler)(request, token);
  const zip = reply.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = zip ? reply.gzipped!() : reply.body;
  const encoding: Record<string, string> = reply.gzipped ? { vary: 'Accept-Encoding', ...(zip ? { 'content-encoding': 'gzip' } : {}) } : {};
  res.writeHead(reply.status ?? 200, { ...common, 'content-type': reply.type ?? 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...encoding, ...reply.headers });
  res.end(body);
}

/** The body as text, or undefined past {@link MAX_BODY}. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
