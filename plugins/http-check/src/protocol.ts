import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { defineProtocol, fail, ok, type OptionDocs, type ProbeResult, type ProtocolContext, type ProtocolDefinition } from '@warden/sdk';
import type { Client as UndiciClient } from 'undici';
import { exchange } from './exchange.js';
import { parseHttpOptions, type HttpOptions } from './http-options.js';

/**
 * `protocol http|https` for the `protocols` family's `port` test (Monit P9, P10). The
 * family owns the connection (and TLS for `https`); this hands the connected socket to an
 * undici `Client` whose connector returns it, sends one request, judges it, and closes.
 * Dialogue: see `exchange.ts`.
 */

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
  });
}

/** `protocol http` (port 80 by default). */
export const httpProtocolDefinition = httpProtocol('http', 80);
/** `protocol https` (port 443 by default); the family does the TLS handshake. */
export const httpsProtocolDefinition = httpProtocol('https', 443);

async function speakHttp(scheme: 'http' | 'https', ctx: ProtocolContext<HttpOptions>): Promise<ProbeResult> {
  const { socket, options, signal } = ctx;
  const address = socket.remoteAddress ?? 'localhost';
  const host = address.includes(':') ? `[${address}]` : address;
  const origin = `${scheme}://${host}:${socket.remotePort ?? (scheme === 'https' ? 443 : 80)}`;
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
    const defaultHost = hostHeader(scheme, ctx);
    const result = await exchange(client, {
      origin,
      options,
      signal,
      // A protocol gets no clock: the port test times the whole dialogue; this is only for observations.
      clock: { now: () => Date.now(), monotonic: () => performance.now() },
      ...(defaultHost ? { defaultHost } : {}),
    });
    const observations = { httpStatus: result.status ?? null, responseTime: result.responseMs };
    if (!result.ok) return fail(result.code!, result.detail, { observations });
    return ok(`HTTP status ${result.status}`, { observations });
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/**
 * Monit's default Host header: the host as the rule names it, with the port unless it is
 * the scheme's own; failing that the TLS server name; failing that undici's (the address).
 */
function hostHeader(scheme: 'http' | 'https', ctx: ProtocolContext<HttpOptions>): string | undefined {
  const { peer, socket } = ctx;
  if (peer) {
    const host = peer.host.includes(':') ? `[${peer.host}]` : peer.host;
    return peer.port === (scheme === 'https' ? 443 : 80) ? host : `${host}:${peer.port}`;
  }
  const servername = (socket as Partial<TLSSocket>).servername;
  return typeof servername === 'string' && servername ? servername : undefined;
}
