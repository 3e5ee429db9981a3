import { readFileSync } from 'node:fs';
import { compare, defineTest, fail, ok, type ProbeContext } from '@warden/sdk';
import type { Agent } from 'undici';
import { exchange, type ExchangeResult } from './exchange.js';
import { describeUrl, parseUrlOptions, type UrlOptions } from './url-options.js';

/** The metrics both entry points report, blackbox_exporter's names. */
export const STATUS_METRIC = 'probe_http_status_code';
export const DURATION_METRIC = 'probe_http_duration_seconds';

/** How long an idle keep-alive connection is kept between cycles (the server may cut it shorter). */
const KEEP_ALIVE_MS = 60_000;

/**
 * `if failed|succeeded url http[s]://[user:pw@]host[:port]/path[?q] [content =|!= "RE"] …`
 * (Monit C58, with the HTTP options C63–C71 as a warden extension). Opens its own
 * connection through an undici `Agent` kept in the rule's state, so the connection to the
 * host stays open (keep-alive) from one cycle to the next.
 */
export const urlTest = defineTest<UrlOptions, unknown>({
  name: 'http-check.url',
  summary: 'An HTTP(S) request to a URL: status, content, checksum, response time',
  serviceTypes: ['host', 'process'],
  keywords: ['url'],
  polarities: ['failed', 'succeeded'],
  event: 'connection',
  codes: {
    'http-check.connection': 'the connection failed (refused, reset, unreachable, closed early)',
    'http-check.tls': 'the TLS handshake or the certificate verification failed',
    'http-check.protocol': 'the reply is not valid HTTP',
    'http-check.status': 'the status does not satisfy `status OP N` (or is 400 or more)',
    'http-check.content': 'the body does not match (or matches, for `!=`) the content regex, or is empty',
    'http-check.checksum': 'the body\'s MD5/SHA-1/SHA-256 differs from `checksum`',
    'http-check.responsetime': 'the response time does not satisfy `responsetime OP N ms`',
  },
  options: {
    url: { type: 'string', description: 'http:// or https:// URL; user:password@ in it is sent as Basic auth.' },
    content: { type: 'string', description: '`= "REGEX"` or `!= "REGEX"` on the first 1 MB of the body.' },
    checksum: { type: 'string', description: 'MD5, SHA-1 or SHA-256 of the body, in hex (the length picks the hash).' },
    status: { type: 'comparison', description: 'The status must satisfy it (`status = 200`).', default: '< 400' },
    method: { type: 'enum', values: ['get', 'head'], description: 'Request method; HEAD cannot go with content or checksum.', default: 'get' },
    hostheader: { type: 'string', description: 'Host header to send instead of the URL\'s host.' },
    headers: { type: 'string', description: '`[Name: value, …]` extra request headers; they replace the defaults by name.' },
    username: { type: 'string', description: 'Basic auth user (the URL\'s user wins).' },
    password: { type: 'string', description: 'Basic auth password.' },
    timeout: { type: 'duration', description: 'Deadline for the whole request, connection included.', default: '5 s' },
    retry: { type: 'integer', description: 'Attempts within one cycle before the test fails.', default: 1 },
    responsetime: { type: 'comparison', description: 'The response time must satisfy it (`responsetime < 500 ms`).' },
    ssl: { type: 'string', description: '`ssl { verify: disable }` or `ssl { selfsigned: allow }` skips certificate verification; `ssl { cacertificatefile: PATH }` trusts that CA.', default: 'verify: enable' },
  },
  metrics: [
    { name: STATUS_METRIC, help: 'Response HTTP status code', type: 'gauge' },
    { name: DURATION_METRIC, help: 'Duration of the HTTP request by phase, in seconds', type: 'gauge', labels: ['phase'] },
  ],
  parse(ts) {
    ts.expect('url');
    const options = parseUrlOptions(ts);
    return { options, condition: { kind: 'state' }, describe: describeUrl(options) };
  },
  async run(ctx) {
    const o = ctx.options;
    const agent = await agentFor(ctx);
    const where = portDescription(o);
    const name = o.protocol.toUpperCase();
    let result: ExchangeResult | undefined;
    for (let attempt = 1; attempt <= o.retry; attempt++) {
      result = await exchange(agent, { origin: o.origin, options: o.http, signal: ctx.signal, clock: ctx.clock });
      if (result.ok || attempt === o.retry) break;
      ctx.log.warning(`failed protocol test [${name}] at ${where} -- ${result.detail} (attempt ${attempt}/${o.retry})`);
    }
    const r = result!;
    if (r.status !== undefined) ctx.metrics.set(STATUS_METRIC, r.status);
    if (r.headersMs !== undefined) ctx.metrics.set(DURATION_METRIC, r.headersMs / 1000, { phase: 'processing' });
    if (r.headersMs !== undefined) ctx.metrics.set(DURATION_METRIC, (r.responseMs - r.headersMs) / 1000, { phase: 'transfer' });
    const extras = {
      value: r.responseMs,
      display: `${r.responseMs.toFixed(3)} ms`,
      observations: { responseTime: r.responseMs, httpStatus: r.status ?? null },
    };
    if (!r.ok) return fail(r.code!, `failed protocol test [${name}] at ${where} -- ${r.detail}`, extras);
    const limit = o.responseTime;
    if (limit && !compare(r.responseMs, limit.op, limit.value)) {
      return fail(
        'http-check.responsetime',
        `failed protocol test [${name}] at ${where} -- response time ${r.responseMs.toFixed(3)} ms doesn't match limit [responsetime ${limit.op} ${limit.text}]`,
        extras,
      );
    }
    return ok(`connection succeeded to ${where}`, extras);
  },
});

/** Monit's port description for a URL: `[host]:port/path [TCP/IP TLS]`. */
export function portDescription(o: UrlOptions): string {
  const host = o.hostname.replace(/^\[(.*)\]$/, '$1');
  return `[${host}]:${o.port}${o.http.request ?? '/'} [TCP/IP${o.protocol === 'https' ? ' TLS' : ''}]`;
}

/**
 * The rule's keep-alive agent (one pool per origin), made on first use and kept in the
 * rule's state. Tests have no dispose hook yet: an agent left behind by a reload holds
 * at most its idle connection, which the keep-alive timeout closes. undici is loaded on the
 * first check: it costs every daemon ~10 MB and ~40 ms of start-up otherwise.
 */
async function agentFor(ctx: ProbeContext<UrlOptions, unknown>): Promise<Agent> {
  const existing = ctx.state.agent as Agent | undefined;
  if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
  const { Agent } = await import('undici');
  const agent = new Agent({
    connections: 1,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: 10 * KEEP_ALIVE_MS,
    connect: {
      rejectUnauthorized: ctx.options.tls.verify,
      ...(ctx.options.tls.caFile ? { ca: readFileSync(ctx.options.tls.caFile) } : {}),
    },
  });
  ctx.state.agent = agent;
  return agent;
}
