import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { compare, fail, ok, type ProbeContext, type ProbeResult } from '@warden/sdk';
import { inspectCertificate } from './certificate.js';
import { openConnection, upgradeTls, type Connection, type ConnectSpec } from './connect.js';
import { DialogueError } from './io.js';
import { placeLabel, protocolLabel, typeLabel } from './describe.js';
import type { HostTarget } from './host-type.js';
import type { PortOptions } from './port-options.js';
import { pick, resolveHost, type Address } from './resolve.js';

/** blackbox_exporter's names, as ARCHITECTURE asks: 1 when the last test succeeded. */
export const PROBE_SUCCESS = 'probe_success';
/** Seconds the last successful test took (connect, TLS and dialogue). */
export const PROBE_DURATION = 'probe_duration_seconds';

/** Words for the errors a socket reports, as Monit (and strerror) say them. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EPIPE: 'Broken pipe',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

function isHostTarget(t: unknown): t is HostTarget {
  return typeof t === 'object' && t !== null && (t as { kind?: unknown }).kind === 'host';
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e.code && ERRNO_TEXT[e.code]) ?? e.message ?? String(err);
}

/** True for errors of the network or the peer (as opposed to bugs): they are failures, not throws. */
function isNetworkError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException;
  return e?.name === 'AbortError' || typeof e?.code === 'string';
}

/**
 * Run a port or unixsocket test: resolve, connect (TLS when asked), check the certificate,
 * let the protocol speak, time it all, and word the result as Monit logs it:
 * `failed protocol test [DEFAULT] at [127.0.0.1]:28121 [TCP/IP] -- Connection refused`.
 */
export async function runPort(ctx: ProbeContext<PortOptions, unknown>): Promise<ProbeResult> {
  const o = ctx.options;
  const ep = o.endpoint;
  let host = '';
  let addresses: readonly Address[] = [];
  if (ep.kind === 'net') {
    const target = ctx.target;
    const fromService = !ep.host && isHostTarget(target);
    host = ep.host ?? (isHostTarget(target) ? target.host : 'localhost');
    const res = fromService ? target.resolution : await resolveHost(host, ctx.cycle, ctx.signal);
    addresses = pick(res, ep.family);
    if ('error' in res || addresses.length === 0) {
      const why = 'error' in res ? res.error : `'${host}' has no IPv${ep.family} address`;
      return fail('protocols.resolve', `failed protocol test [${protocolLabel(o)}] at ${placeLabel(o, host)} ${typeLabel(o)} -- ${why}`);
    }
  }
  let result: ProbeResult | undefined;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    // With `retry N` each attempt gets its own `timeout`; the last one ends at the runner's deadline.
    const signal = attempt < o.attempts ? AbortSignal.any([ctx.signal, AbortSignal.timeout(o.attemptTimeoutMs)]) : ctx.signal;
    result = await attemptOnce(ctx, signal, host, addresses);
    if (result.status === 'ok' || ctx.signal.aborted) break;
  }
  const { labels } = wordsOf(o, host);
  ctx.metrics.set(PROBE_SUCCESS, result!.status === 'ok' ? 1 : 0, labels);
  if (result!.status === 'ok' && typeof result!.value === 'number') ctx.metrics.set(PROBE_DURATION, result!.value / 1000, labels);
  return result!;
}

/** What a rule's messages, observations and metrics say of its endpoint: the same every cycle. */
interface Words {
  readonly host: string;
  /** `[127.0.0.1]:80/health` */
  readonly place: string;
  /** `[HTTP] at [127.0.0.1]:80/health [TCP/IP]` */
  readonly where: string;
  /** The response time's observation key. */
  readonly responseKey: string;
  /** The message of a success but its time: `succeeded testing protocol … [response time `. */
  readonly succeeded: string;
  /** The metrics' `endpoint` label, frozen: one object for every report. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Each rule's words for the host it last tested (thousands of rules, every cycle). */
const wordsByRule = new WeakMap<PortOptions, Words>();

function wordsOf(o: PortOptions, host: string): Words {
  let words = wordsByRule.get(o);
  if (words === undefined || words.host !== host) {
    const place = placeLabel(o, host);
    words = {
      host,
      place,
      where: `[${protocolLabel(o)}] at ${place} ${typeLabel(o)}`,
      responseKey: `response time ${place}`,
      succeeded: `succeeded testing protocol [${protocolLabel(o)}] at ${place} ${typeLabel(o)} [response time `,
      labels: Object.freeze({ endpoint: endpointLabel(o, host) }),
    };
    wordsByRule.set(o, words);
  }
  return words;
}

/** The `endpoint` label: `host:port` or the socket path, both from the control file. */
function endpointLabel(o: PortOptions, host: string): string {
  return o.endpoint.kind === 'unix' ? o.endpoint.path : `${host}:${o.endpoint.port}`;
}

async function attemptOnce(ctx: ProbeContext<PortOptions, unknown>, signal: AbortSignal, host: string, addresses: readonly Address[]): Promise<ProbeResult> {
  const o = ctx.options;
  const ep = o.endpoint;
  const words = wordsOf(o, host);
  const failed = (code: string, detail: string) => fail(code, `failed protocol test ${words.where} -- ${detail}`);
  const started = ctx.clock.monotonic();
  const specsOf = (): ConnectSpec[] =>
    ep.kind === 'unix'
      ? [{ kind: 'unix', path: ep.path, transport: o.transport }]
      : addresses.map((a) => ({ kind: 'net', transport: o.transport, address: a.address, family: a.family, port: ep.port, host, ...(ep.source ? { source: ep.source } : {}), ...(o.tls && !o.tls.starttls ? { tls: o.tls } : {}) }));
  // A clear TCP dialogue that can keep its connection (HTTP) gets one from its pool, and the
  // family connects only when the pool asks. TLS stays one connection per check: its
  // certificate is inspected (and its expiry recorded) each time.
  if (o.protocol.speakPooled && ep.kind === 'net' && o.transport === 'tcp' && !o.tls) {
    let said: ProbeResult;
    try {
      said = await o.protocol.speakPooled({
        options: o.protocolOptions,
        signal,
        log: ctx.log,
        peer: { host, port: ep.port, tls: false },
        key: `tcp ${addresses.length === 1 ? addresses[0]!.address : addresses.map((a) => a.address).join(',')} ${ep.port} ${ep.source ?? ''}`,
        connect: async (connectSignal) => (await connectAny(specsOf(), connectSignal)).socket,
      });
    } catch (err) {
      if (!isNetworkError(err)) throw err;
      if (signal.aborted) return failed('protocols.timeout', `no response within ${o.attemptTimeoutMs / 1000} s`);
      return failed('protocols.connection', errorText(err));
    }
    return judge(ctx, said, started, words, failed);
  }
  let conn: Connection;
  try {
    conn = await connectAny(specsOf(), signal);
  } catch (err) {
    if (signal.aborted) return failed('protocols.timeout', `Connection timed out after ${o.attemptTimeoutMs / 1000} s`);
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const tlsFailed = o.tls !== undefined && !/^E[A-Z]+$/.test(code);
    return failed(tlsFailed ? 'protocols.tls' : 'protocols.connection', errorText(err));
  }
  const endpoint = endpointLabel(o, host);
  const upgrade: { socket?: TLSSocket; problem?: string; error?: unknown } = {};
  const open = conn;
  try {
    if (o.tls && !o.tls.starttls) {
      const problem = inspectCertificate(ctx, conn.certificate, endpoint);
      if (problem) return failed('protocols.certificate', problem);
    }
    const startTls = o.tls?.starttls && ep.kind === 'net' ? async (): Promise<Socket> => {
      try {
        upgrade.socket = await upgradeTls(open.socket, host, o.tls!, signal);
      } catch (err) {
        upgrade.error = err;
        throw err;
      }
      upgrade.problem = inspectCertificate(ctx, upgrade.socket.getPeerCertificate(false), endpoint);
      if (upgrade.problem) throw new DialogueError(upgrade.problem);
      return upgrade.socket;
    } : undefined;
    let said: ProbeResult;
    try {
      said = await o.protocol.speak({
        socket: conn.socket,
        options: o.protocolOptions,
        signal,
        log: ctx.log,
        ...(ep.kind === 'net' ? { peer: { host, port: ep.port, tls: o.tls !== undefined } } : {}),
        ...(conn.udp ? { udp: conn.udp } : {}),
        ...(startTls ? { startTls } : {}),
      });
    } catch (err) {
      if (!isNetworkError(err)) throw err;
      if (upgrade.error) return failed('protocols.tls', errorText(upgrade.error));
      if (signal.aborted) return failed('protocols.timeout', `no response within ${o.attemptTimeoutMs / 1000} s`);
      return failed('protocols.connection', errorText(err));
    }
    if (upgrade.problem) return failed('protocols.certificate', upgrade.problem);
    if (startTls && !upgrade.socket && said.status === 'ok') return failed('protocols.tls', 'STARTTLS was not performed');
    return judge(ctx, said, started, words, failed);
  } finally {
    upgrade.socket?.destroy();
    conn.close();
  }
}

/** Connect to the first of `specs` that accepts; throws the last network error when none does. */
async function connectAny(specs: readonly ConnectSpec[], signal: AbortSignal): Promise<Connection> {
  let lastError: unknown = new Error('no address to connect to');
  for (const spec of specs) {
    try {
      return await openConnection(spec, signal);
    } catch (err) {
      if (!isNetworkError(err)) throw err;
      lastError = err;
      if (signal.aborted) break;
    }
  }
  throw lastError;
}

/** Word what the protocol said, and judge `responsetime` on the time since the connection began. */
function judge(
  ctx: ProbeContext<PortOptions, unknown>, said: ProbeResult, started: number, words: Words,
  failed: (code: string, detail: string) => ProbeResult,
): ProbeResult {
  const o = ctx.options;
  if (said.status === 'failed') return failed(said.code ?? 'protocols.protocol', said.message);
  if (said.status !== 'ok') return said;
  const ms = ctx.clock.monotonic() - started;
  const fixed = ms.toFixed(3);
  const observations: Record<string, number> = {};
  observations[words.responseKey] = Number(fixed);
  const rt = o.responseTime;
  // As every Monit threshold, the comparison is the failure condition: `responsetime > 500 ms`.
  if (rt && compare(ms, rt.op, rt.value)) {
    return fail('protocols.responsetime', `response time ${fixed} ms to ${words.place} ${typeLabel(o)} protocol ${protocolLabel(o)} matches limit [responsetime ${rt.op} ${rt.text}]`, { value: ms, observations });
  }
  return ok(`${words.succeeded}${fixed} ms]`, { value: ms, observations });
}
