import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  defineProtocol, fail, ok, type OptionDocs, type PooledProtocolContext, type ProbeResult, type ProtocolContext, type ProtocolDefinition,
} from '@warden/sdk';
import type { Client as UndiciClient } from 'undici';
import { exchange, type ExchangeResult } from './exchange.js';
import { parseHttpOptions, type HttpOptions } from './http-options.js';
import { httpPools } from './pools.js';

/**
 * `protocol http|https` for the `protocols` family's `port` test (Monit P9, P10). The
 * family owns the connection (and TLS for `https`). On a clear connection the request goes
 * through the endpoint's keep-alive pool, whose connections the family opens on demand
 * (`speakPooled`); otherwise (TLS with its certificate checks, a unix socket) the connected
 * socket goes to a one-request undici `Client` whose connector returns it. Dialogue: see
 * `exchange.ts`.
 */

/** The clock of a protocol's observations: the port test times the whole dialogue itself. */
const WALL_CLOCK = { now: () => Date.now(), monotonic: () => performance.now() };

const OPTIONS: OptionDocs = {
  request: { type: 'string', description: 'Path and query to request.', default: '/' },
  status: { type: 'comparison', description: 'The status must satisfy it (`status = 200`).', default: '< 400' },
  content: { type: 'string', description: '`= "REGEX"` or `!= "REGEX"` on the first 1 MB of the body.' },
  checksum: { type: 'string', description: 'MD5, SHA-1 or SHA-256 of the body, in hex.' },
  hostheader: { type: 'string', description: 'Host header to send.', default: 'the connected address' },
  headers: { type: 'string', description: '`[Name: value, …]` extra request headers.' },
  username: { type: 'string', description: 'Basic auth user.' },
  password: { type: 'string', description: 'Basic auth password.' },
  method: { type: 'enum', values: ['get', 'head'], description: 'Request method.', default: 'get' },
};

function httpProtocol(name: 'http' | 'https', defaultPort: number): ProtocolDefinition<HttpOptions> {
  return defineProtocol<HttpOptions>({
    name,
    summary: name === 'http' ? 'An HTTP request over the connection' : 'An HTTP request over the TLS connection',
    defaultPort,
    transport: 'tcp',
    options: OPTIONS,
    parse: (ts) => parseHttpOptions(ts),
    speak: (ctx) => speakHttp(name, ctx),
    ...(name === 'http' ? { speakPooled: speakPooledHttp } : {}),
  });
}

/** `protocol http` (port 80 by default). */
export const httpProtocolDefinition = httpProtocol('http', 80);
/** `protocol https` (port 443 by default); the family does the TLS handshake. */
export const httpsProtocolDefinition = httpProtocol('https', 443);

async function speakHttp(scheme: 'http' | 'https', ctx: ProtocolContext<HttpOptions>): Promise<ProbeResult> {
  const { socket, options, signal } = ctx;
  const address = socket.remoteAddress ?? 'localhost';
  const origin = originOf(scheme, address, socket.remotePort ?? (scheme === 'https' ? 443 : 80));
  let handedOver = false;
  // Loaded on first use: importing undici costs ~240 ms of start-up for every daemon.
  const { Client } = await import('undici');
  const client: UndiciClient = new Client(origin, {
    pipelining: 1,
    // undici speaks over the socket it is given; a second connect would mean a retry on a
    // socket that is gone, which must fail rather than open a connection of our own.
    // undici must get the socket after its connect call has returned (a synchronous
    // callback leaves the request queued forever).
    connect: (_opts, callback) => {
      const again = handedOver;
      handedOver = true;
      queueMicrotask(() => (again ? callback(new Error('the connection was closed'), null) : callback(null, socket as Socket)));
    },
  });
  try {
    const defaultHost = ctx.peer ? hostHeaderOf(scheme, ctx.peer) : serverName(socket);
    const result = await exchange(client, { origin, options, signal, clock: WALL_CLOCK, ...(defaultHost ? { defaultHost } : {}) });
    return verdict(result);
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/**
 * The same request over a kept connection of the endpoint's pool (see `pools.ts`). A failure
 * to connect is thrown for the port test to word (`Connection refused`), as when it connects.
 */
async function speakPooledHttp(ctx: PooledProtocolContext<HttpOptions>): Promise<ProbeResult> {
  const pool = await httpPools.get(ctx);
  const result = await exchange(pool, {
    origin: originOf('http', ctx.peer.host, ctx.peer.port),
    options: ctx.options,
    signal: ctx.signal,
    clock: WALL_CLOCK,
    defaultHost: hostHeaderOf('http', ctx.peer),
    pooled: true,
  });
  const errno = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  if (errno && /^E[A-Z]+$/.test(errno)) throw result.cause;
  return verdict(result);
}

function verdict(result: ExchangeResult): ProbeResult {
  const observations = { httpStatus: result.status ?? null, responseTime: result.responseMs };
  if (!result.ok) return fail(result.code!, result.detail, { observations });
  return ok(`HTTP status ${result.status}`, { observations });
}

function originOf(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Monit's default Host header: the host as the rule names it, with the port unless it is the scheme's own. */
function hostHeaderOf(scheme: 'http' | 'https', peer: { readonly host: string; readonly port: number }): string {
  const host = peer.host.includes(':') ? `[${peer.host}]` : peer.host;
  return peer.port === (scheme === 'https' ? 443 : 80) ? host : `${host}:${peer.port}`;
}

/** Without a named peer (a unix socket): the TLS server name, failing that undici's default (the address). */
function serverName(socket: Socket): string | undefined {
  const servername = (socket as Partial<TLSSocket>).servername;
  return typeof servername === 'string' && servername ? servername : undefined;
}
