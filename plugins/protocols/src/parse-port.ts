import type { Comparison, ParseContext, ParsedTest, ProtocolDefinition, Token, TokenStream } from '@warden/sdk';
import { defaultProtocol } from './protocol-default.js';
import { genericProtocol, parseSteps, type Step } from './protocol-generic.js';
import type { CertificateCheck, Endpoint, PortOptions, TlsOptions } from './port-options.js';
import { describePort } from './describe.js';

/** Monit's networkTimeout: a connection and its dialogue get 5 s unless told otherwise. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Protocols that are TLS from the first byte; the name alone turns TLS on (Monit P10, P12, P25, P34). */
const IMPLIED_TLS = new Set(['https', 'imaps', 'pops', 'smtps']);

/** Protocols that can upgrade a clear connection, and the ports where Monit's `ssl` means STARTTLS. */
const STARTTLS_PROTOCOLS = new Set(['smtp', 'imap']);
const STARTTLS_PORTS = new Set([25, 143, 587]);
/** Protocols that always upgrade by their own STARTTLS (Monit P20). */
const ALWAYS_STARTTLS = new Set(['mysqls']);

const DIGEST_BY_LENGTH: Readonly<Record<number, 'md5' | 'sha1' | 'sha256'>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/**
 * The words after `port N` or `unixsocket PATH`, in any order:
 * `ipv4|ipv6`, `type tcp|udp|tcpssl`, `ssl|tls [{…}]`, `address SRC`, `protocol P [P's options]`,
 * `send "S"`/`expect "RE"`, `timeout N [s]`, `retry N`, `responsetime OP N ms`,
 * `certificate valid [>] N days`, `certificate checksum [md5|sha1|sha256] [=] "HASH"`.
 */
export function parsePortTail(ts: TokenStream, ctx: ParseContext, endpoint: Endpoint): ParsedTest<PortOptions> {
  let ep = endpoint;
  let transport: 'tcp' | 'udp' | undefined;
  let tls: TlsOptions | undefined;
  let protocol: ProtocolDefinition<unknown> | undefined;
  let protocolOptions: unknown;
  let timeout = DEFAULT_TIMEOUT_MS;
  let attempts = 1;
  let responseTime: Comparison | undefined;
  let certificate: CertificateCheck = {};
  const steps: Step[] = [];
  let starttls = false;
  for (;;) {
    const tok = ts.peek();
    if (ep.kind === 'net' && ts.accept('ipv4', 'ipv6')) ep = { ...ep, family: tok.text.toLowerCase() === 'ipv4' ? 4 : 6 };
    else if (ts.accept('type')) {
      const t = ts.expect('tcp', 'udp', 'tcpssl').text.toLowerCase();
      transport = t === 'udp' ? 'udp' : 'tcp';
      if (t === 'tcpssl') tls ??= parseTls(ts);
    } else if (ts.at('ssl', 'tls') && /^disable$/i.test(ts.peek(1).text)) {
      // Monit's lexer drops `ssl disable` and `disable ssl` as noise (reference L4).
      ts.next();
      ts.next();
    } else if (ts.at('disable') && /^(ssl|tls)$/i.test(ts.peek(1).text)) {
      ts.next();
      ts.next();
    } else if (ts.accept('ssl', 'tls')) tls = parseTls(ts);
    else if (ts.accept('starttls')) {
      starttls = true;
      tls ??= { verify: false, allowSelfSigned: true };
    }
    else if (ep.kind === 'net' && ts.accept('address')) ep = { ...ep, source: ts.string('a source address') };
    else if (ts.accept('protocol', 'proto')) {
      const nameTok = ts.peek();
      const name = ts.string('a protocol name');
      protocol = ctx.protocol(name);
      if (!protocol || protocol.name === 'generic') ts.syntaxError(undefined, nameTok);
      protocolOptions = protocol.parse?.(ts);
      if (IMPLIED_TLS.has(protocol.name)) tls ??= { verify: false, allowSelfSigned: true };
    } else if (ts.at('send', 'expect')) {
      if (protocol && protocol.name !== 'default') ts.error(`The ${tok.text.toUpperCase()} statement is not allowed in the ${protocol.name.toUpperCase()} protocol context`, ts.peek(1));
      steps.push(...parseSteps(ts));
    } else if (ts.accept('timeout')) timeout = ts.duration('s');
    else if (ts.accept('retry')) attempts = Math.max(1, ts.integer('a number of retries'));
    else if (ts.accept('responsetime')) responseTime = ts.comparison(['ms']);
    else if (ts.at('response') && ts.peek(1).text.toLowerCase() === 'time') {
      ts.next();
      ts.next();
      responseTime = ts.comparison(['ms']);
    } else if (ts.accept('certificate', 'cert')) certificate = { ...certificate, ...parseCertificate(ts) };
    else break;
  }
  if (steps.length > 0 && protocol && protocol.name !== 'default') ts.error(`The EXPECT statement is not allowed in the ${protocol.name.toUpperCase()} protocol context`);
  const always = protocol !== undefined && ALWAYS_STARTTLS.has(protocol.name);
  const upgrade = always || (protocol !== undefined && STARTTLS_PROTOCOLS.has(protocol.name) && (starttls || (ep.kind === 'net' && STARTTLS_PORTS.has(ep.port))));
  if (starttls && !upgrade) ts.error('STARTTLS is supported with protocol smtp, imap or mysqls only');
  if (always) tls ??= { verify: false, allowSelfSigned: true };
  if (tls && upgrade) tls = { ...tls, starttls: true };
  const chosen = steps.length > 0 ? (genericProtocol as ProtocolDefinition<unknown>) : protocol ?? (defaultProtocol as ProtocolDefinition<unknown>);
  const options: PortOptions = {
    endpoint: ep,
    transport: transport ?? chosen.transport ?? 'tcp',
    ...(tls ? { tls } : {}),
    protocol: chosen,
    protocolOptions: steps.length > 0 ? { steps } : protocolOptions,
    attemptTimeoutMs: timeout,
    attempts,
    timeoutMs: timeout * attempts,
    ...(responseTime ? { responseTime } : {}),
    ...(certificate.validDays !== undefined || certificate.checksum ? { certificate } : {}),
  };
  if (ep.kind === 'unix' && options.transport === 'udp') ts.error('UDP unix sockets are not supported');
  // Monit checks this when the whole rule is built, so its message points past the rule's action.
  if (chosen.name === 'radius' && options.transport !== 'udp') ts.error('Radius protocol test supports UDP only', tokenAfterRule(ts));
  if (options.tls && options.transport === 'udp') ts.error('TLS is not supported over UDP');
  if (options.certificate && !options.tls) ts.error('A certificate test needs TLS (ssl, tls or a TLS protocol)');
  return {
    options,
    condition: { kind: 'state', ...(ctx.polarity === 'succeeded' ? { invert: true } : {}) },
    event: 'connection',
    describe: describePort(options),
  };
}

/** `ssl`/`tls` then an optional `{ verify: enable, selfsigned: allow, cacertificatefile: PATH }`. */
function parseTls(ts: TokenStream): TlsOptions {
  ts.accept('options');
  let verify = false;
  let allowSelfSigned = true;
  let caFile: string | undefined;
  if (ts.peek().kind === 'punct' && ts.peek().text === '{') {
    ts.next();
    for (let i = 0; i < 32 && !(ts.peek().kind === 'punct' && ts.peek().text === '}'); i++) {
      const key = ts.string('an ssl option').toLowerCase();
      ts.accept(':');
      if (key === 'verify') verify = ts.expect('enable', 'disable').text.toLowerCase() === 'enable';
      else if (key === 'selfsigned') allowSelfSigned = ts.expect('allow', 'reject').text.toLowerCase() === 'allow';
      else if (key === 'cacertificatefile') caFile = ts.path();
      else if (key === 'version' || key === 'ciphers') ts.string('a value');
      else ts.syntaxError('an ssl option (verify, selfsigned, cacertificatefile, version, ciphers)');
    }
    ts.expect('}');
  }
  return { verify, allowSelfSigned, ...(caFile ? { caFile } : {}) };
}

/** `valid [>] N days` or `checksum [md5|sha1|sha256] [=] "HASH"` after `certificate`. */
function parseCertificate(ts: TokenStream): CertificateCheck {
  if (ts.accept('valid')) {
    ts.operator();
    const days = ts.integer('a number of days');
    ts.accept('day', 'days');
    return { validDays: days };
  }
  ts.expect('checksum');
  const named = ts.accept('md5', 'sha1', 'sha256')?.text.toLowerCase() as 'md5' | 'sha1' | 'sha256' | undefined;
  ts.operator();
  const tok = ts.peek();
  const hex = ts.string('a checksum').replace(/:/g, '').toLowerCase();
  const algorithm = named ?? DIGEST_BY_LENGTH[hex.length];
  if (!algorithm) ts.error(`Unknown checksum type: [${hex}] is not MD5, SHA1 nor SHA256`, tok);
  const want = { md5: 32, sha1: 40, sha256: 64 }[algorithm];
  if (hex.length !== want || !/^[0-9a-f]+$/.test(hex)) ts.error(`Invalid ${algorithm.toUpperCase()} checksum`, tok);
  return { checksum: { algorithm, hex } };
}

/**
 * The first token after the rule that starts at the stream's position: past `then ACTION` and
 * any `else if succeeded … then ACTION`, on a later line. Monit reports rule-level errors there.
 */
function tokenAfterRule(ts: TokenStream): Token {
  let actionLine = -1;
  for (let i = 0; i < 10_000; i++) {
    const tok = ts.peek(i);
    if (tok.kind === 'eof') return tok;
    const word = tok.text.toLowerCase();
    if (word === 'then') actionLine = tok.line;
    else if (word === 'else') actionLine = -1;
    else if (actionLine >= 0 && tok.line > actionLine) return tok;
  }
  return ts.peek();
}
