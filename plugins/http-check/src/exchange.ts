import { createHash } from 'node:crypto';
import { compare, type Clock } from '@warden/sdk';
import type { Dispatcher } from 'undici';
import type { HttpOptions } from './http-options.js';

/**
 * One HTTP exchange and its verdict, Monit's dialogue (src/protocols/http.c):
 * 1. send `METHOD PATH` with Host, User-Agent, `Accept: *\/*`, `Accept-Encoding: identity`,
 *    Basic auth when a user is given, then the rule's own headers (which win);
 * 2. check the status: it must satisfy `status OP N`, or be below 400;
 * 3. only when `content` or `checksum` is tested, read the body (at most 1 MB, Monit's
 *    httpContentBuffer) and match the regex or hash it; otherwise drain a little and stop.
 * undici does the HTTP; this file only decides.
 */

/** Monit's limit on the body it reads for `content` and `checksum` (1 MB). */
export const CONTENT_LIMIT = 1024 * 1024;
/** How much of an unread body is drained so the connection can be reused. */
const DRAIN_LIMIT = 64 * 1024;

/** What one exchange found. `detail` is Monit's text after `--` when it failed. */
export interface ExchangeResult {
  readonly ok: boolean;
  /** A declared failure code when `ok` is false. */
  readonly code?: string;
  readonly detail: string;
  readonly status?: number;
  /** Milliseconds from sending the request to the end of the response (or the failure). */
  readonly responseMs: number;
  /** Milliseconds until the status line and headers were in. */
  readonly headersMs?: number;
  readonly bytes?: number;
  /** The error when the request failed before any response (the connection's). */
  readonly cause?: unknown;
}

/** Where and how to send the request. */
export interface ExchangeRequest {
  readonly origin: string;
  readonly options: HttpOptions;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Host header when the rule gives no `hostheader` (undici's default is the origin). */
  readonly defaultHost?: string;
  /**
   * The dispatcher keeps connections: a request that fails before any response because its
   * socket was closed or reset (the server timed out an idle keep-alive connection, or
   * restarted) is sent once more, on a new connection, as browsers and Go's Transport do.
   */
  readonly pooled?: boolean;
}

/** Errors of a kept connection the server closed before the request reached it. */
const STALE_SOCKET = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

/** Send the request through `dispatcher` and judge the response. Throws only on abort. */
export async function exchange(dispatcher: Dispatcher, req: ExchangeRequest): Promise<ExchangeResult> {
  const { options } = req;
  return options.content || options.checksum ? exchangeReading(dispatcher, req) : exchangeStatus(dispatcher, req);
}

/**
 * An exchange whose body is not read (no `content`, no `checksum`: most checks, every cycle).
 * Through undici's handler API: no response object, body stream or promise per request, only
 * the status, and the body drained (up to a limit) so that the connection can be reused.
 */
async function exchangeStatus(dispatcher: Dispatcher, req: ExchangeRequest): Promise<ExchangeResult> {
  const { options, clock, signal } = req;
  const started = clock.monotonic();
  const sent = { origin: req.origin, path: options.request ?? '/', method: options.method, headers: headerList(options, req.defaultHost) };
  let seen: StatusSeen;
  try {
    seen = await retryingStale(req, () => statusOf(dispatcher, sent, signal, clock, started));
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, ...describeError(err), cause: err, responseMs: clock.monotonic() - started };
  }
  const { status, headersMs, responseMs } = seen;
  if (!statusAccepted(options, status)) return statusFailure(status, headersMs, responseMs);
  return { ok: true, detail: '', status, headersMs, responseMs };
}

/** Send once more, on a new connection, when a kept one turns out closed (see `pooled`). */
function retryingStale<T>(req: ExchangeRequest, send: () => Promise<T>): Promise<T> {
  return send().catch((err: { code?: string }) => {
    if (!req.pooled || req.signal.aborted || !STALE_SOCKET.has(err.code ?? '')) throw err;
    return send();
  });
}

/** The status must satisfy `status OP N`, or be below 400. */
function statusAccepted(o: HttpOptions, status: number): boolean {
  return o.status ? compare(status, o.status.op, o.status.value) : status < 400;
}

/** Monit's words for a status that is not accepted. */
function statusFailure(status: number, headersMs: number, responseMs: number): ExchangeResult {
  return { ok: false, code: 'http-check.status', detail: `HTTP error: Server returned status ${status}`, status, headersMs, responseMs };
}

/** What {@link statusOf} saw of a response. */
interface StatusSeen {
  readonly status: number;
  readonly headersMs: number;
  readonly responseMs: number;
}

/**
 * Dispatch one request and resolve with its status once the response is over, or once
 * {@link DRAIN_LIMIT} bytes of its body were let through (the connection is then dropped).
 * Rejects with the request's error, or the signal's reason when it aborts first.
 */
function statusOf(dispatcher: Dispatcher, sent: Dispatcher.DispatchOptions, signal: AbortSignal, clock: Clock, started: number): Promise<StatusSeen> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headersMs = 0;
    let drained = 0;
    const onAbort = () => {
      controller?.abort(signal.reason);
      end(signal.reason);
    };
    const end = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err !== undefined) reject(err);
      else resolve({ status, headersMs, responseMs: clock.monotonic() - started });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    dispatcher.dispatch(sent, {
      onRequestStart: (c) => {
        controller = c;
        // Aborted while it waited for a connection of the pool: it must not go out now.
        if (signal.aborted) c.abort(signal.reason);
      },
      onResponseStart: (_c, statusCode) => {
        status = statusCode;
        headersMs = clock.monotonic() - started;
      },
      onResponseData: (c, chunk) => {
        drained += chunk.length;
        if (drained <= DRAIN_LIMIT) return;
        end();
        c.abort(new Error('response body left unread'));
      },
      onResponseEnd: () => end(),
      onResponseError: (_c, err) => end(err),
    });
  });
}

/** An exchange that reads the body, for `content` and `checksum`. */
async function exchangeReading(dispatcher: Dispatcher, req: ExchangeRequest): Promise<ExchangeResult> {
  const { options, clock, signal } = req;
  const started = clock.monotonic();
  const elapsed = () => clock.monotonic() - started;
  const sent = {
    origin: req.origin,
    path: options.request ?? '/',
    method: options.method,
    headers: headerList(options, req.defaultHost),
    signal,
  };
  let response: Dispatcher.ResponseData;
  try {
    response = await retryingStale(req, () => dispatcher.request(sent));
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, ...describeError(err), cause: err, responseMs: elapsed() };
  }
  const headersMs = elapsed();
  const status = response.statusCode;
  const body = response.body;
  try {
    if (!statusAccepted(options, status)) {
      await body.dump({ limit: DRAIN_LIMIT, signal });
      return statusFailure(status, headersMs, elapsed());
    }
    const data = await readLimited(body, CONTENT_LIMIT);
    const done = { status, headersMs, bytes: data.length, responseMs: elapsed() };
    if (data.length === 0) return { ok: false, code: 'http-check.content', detail: 'HTTP error: No content returned from server', ...done };
    if (options.content) {
      const matched = options.content.regex.test(data.toString('utf8'));
      if (options.content.op === '=' && !matched) {
        return { ok: false, code: 'http-check.content', detail: "HTTP error: Regular expression doesn't match: No match", ...done };
      }
      if (options.content.op === '!=' && matched) {
        return { ok: false, code: 'http-check.content', detail: 'HTTP error: Regular expression matches', ...done };
      }
    }
    if (options.checksum) {
      const actual = createHash(options.checksum.algorithm).update(data).digest('hex');
      if (actual !== options.checksum.hex) {
        return { ok: false, code: 'http-check.checksum', detail: 'HTTP checksum error: Document checksum mismatch', ...done };
      }
    }
    return { ok: true, detail: '', ...done };
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, ...describeError(err), status, headersMs, responseMs: elapsed() };
  }
}

/** Read at most `limit` bytes, then stop reading (the connection is dropped, not drained). */
async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    const room = limit - size;
    chunks.push(buf.length > room ? buf.subarray(0, room) : buf);
    size += Math.min(buf.length, room);
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, size);
}

/** The request headers of a rule with a Host header, as undici's flat list; built once per rule and host. */
const headerLists = new WeakMap<HttpOptions, { readonly host: string | undefined; readonly list: readonly string[] }>();

function headerList(o: HttpOptions, defaultHost: string | undefined): string[] {
  let kept = headerLists.get(o);
  if (kept === undefined || kept.host !== defaultHost) {
    kept = { host: defaultHost, list: Object.entries(requestHeaders(o, defaultHost)).flat() };
    headerLists.set(o, kept);
  }
  return kept.list as string[];
}

/** Monit's request headers; the rule's own headers replace them by name. */
function requestHeaders(o: HttpOptions, defaultHost: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': 'warden',
    accept: '*/*',
    'accept-encoding': 'identity',
  };
  const host = o.hostHeader ?? defaultHost;
  if (host !== undefined) headers.host = host;
  if (o.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${o.username}:${o.password ?? ''}`).toString('base64')}`;
  }
  for (const [name, value] of o.headers) headers[name.toLowerCase()] = value;
  return headers;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EPIPE: 'Broken pipe',
  ENOTFOUND: 'Name or service not known',
  EAI_AGAIN: 'Temporary failure in name resolution',
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);

/** A failure code and Monit-style text for an error from undici or the socket. */
function describeError(err: unknown): { code: string; detail: string } {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? '';
  const message = e.message ?? String(err);
  if (TLS_CODES.has(code)) return { code: 'http-check.tls', detail: `TLS certificate verification failed -- ${message}` };
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { code: 'http-check.tls', detail: `TLS error -- ${message}` };
  if (ERRNO_TEXT[code]) return { code: 'http-check.connection', detail: ERRNO_TEXT[code]! };
  if (e.name === 'HTTPParserError' || code.startsWith('HPE_')) return { code: 'http-check.protocol', detail: `HTTP error: Invalid response -- ${message}` };
  if (code === 'UND_ERR_SOCKET') return { code: 'http-check.connection', detail: `HTTP: Error receiving data -- ${e.cause?.message ?? message}` };
  return { code: 'http-check.connection', detail: message };
}
