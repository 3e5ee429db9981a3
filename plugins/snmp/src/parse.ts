import type { Comparison, Condition, EventClass, ParseContext, ParsedTest, Token, TokenStream } from '@warden/sdk';
import { DEFAULT_SNMP_TIMEOUT_MS, SYS_UPTIME, type SnmpConnection, type SnmpOptions, type SnmpQuery } from './options.js';

const AUTH = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
const PRIV = ['des', 'aes', 'aes256b', 'aes256r'] as const;
const OID = /^\.?\d+(\.\d+)+$/;

type User = NonNullable<SnmpConnection['user']>;

/** Connection words as they are read, in any order, before and after the query. */
interface Draft {
  port?: number;
  version?: SnmpConnection['version'];
  community?: string;
  userName?: string;
  auth?: User['auth'];
  priv?: User['priv'];
  retries?: number;
  timeoutMs?: number;
}

/**
 * Parse `snmp [port N] [version 1|2c|3] [community "C"] [user "U" [auth sha "K" [priv aes "K"]]]
 * QUERY [timeout N seconds] [retry N]`, the words after `if [failed|succeeded|changed]`.
 * QUERY is `oid "O" [OP V]`, `load (1min|5min|15min) OP N`, `disk "PATH" [free] OP N (%|unit)`,
 * `interface "IF" down|up` or `uptime OP N unit`.
 */
export function parseSnmp(ts: TokenStream, ctx: Pick<ParseContext, 'polarity'>): ParsedTest<SnmpOptions> {
  ts.expect('snmp');
  const draft: Draft = {};
  readConnection(ts, draft);
  const queryTok = ts.peek();
  const parsed = readQuery(ts, ctx.polarity);
  readConnection(ts, draft);
  const connection = finish(ts, draft, queryTok);
  const timeoutMs = draft.timeoutMs ?? DEFAULT_SNMP_TIMEOUT_MS;
  const options: SnmpOptions = { connection, query: parsed.query, timeoutMs, ...(parsed.comparison ? { comparison: parsed.comparison } : {}) };
  return { options, condition: parsed.condition, event: parsed.event, describe: `snmp ${parsed.describe}` };
}

function readConnection(ts: TokenStream, d: Draft): void {
  for (;;) {
    if (ts.accept('port')) {
      const at = ts.peek();
      d.port = ts.integer('a port number');
      if (d.port < 1 || d.port > 65535) ts.error('Invalid port number', at);
    } else if (ts.accept('version')) {
      const tok = ts.next();
      const v = tok.text.toLowerCase().replace(/^v/, '');
      if (v !== '1' && v !== '2c' && v !== '3') ts.syntaxError('an SNMP version (1, 2c or 3)', tok);
      d.version = v;
    } else if (ts.accept('community')) {
      d.community = ts.string('a community');
    } else if (ts.accept('user', 'username')) {
      d.userName = ts.string('a user name');
    } else if (ts.accept('auth', 'authentication')) {
      d.auth = { protocol: oneOf(ts, AUTH, 'an auth protocol (md5, sha, sha256, …)'), key: ts.string('an auth passphrase') };
    } else if (ts.accept('priv', 'privacy')) {
      d.priv = { protocol: oneOf(ts, PRIV, 'a privacy protocol (des, aes, …)'), key: ts.string('a privacy passphrase') };
    } else if (ts.accept('timeout')) {
      const at = ts.peek();
      d.timeoutMs = ts.duration();
      if (d.timeoutMs <= 0) ts.syntaxError('a timeout greater than 0', at);
    } else if (ts.accept('retry', 'retries')) {
      d.retries = ts.integer('a retry count');
    } else return;
  }
}

function oneOf<T extends string>(ts: TokenStream, words: readonly T[], what: string): T {
  const tok = ts.peek();
  const w = tok.text.toLowerCase() as T;
  if (tok.kind !== 'word' || !words.includes(w)) ts.syntaxError(what, tok);
  ts.next();
  return w;
}

/** Version 3 needs a user; a user means version 3; privacy needs authentication (RFC 3414). */
function finish(ts: TokenStream, d: Draft, at: Token): SnmpConnection {
  const version = d.version ?? (d.userName !== undefined ? '3' : '2c');
  const base = { port: d.port ?? 161, version, community: d.community ?? 'public', retries: d.retries ?? 1 };
  if (version !== '3') {
    if (d.userName !== undefined || d.auth || d.priv) ts.error(`SNMP version ${version} has no user, auth or priv`, at);
    return base;
  }
  if (d.userName === undefined) ts.error('SNMP version 3 needs a user', at);
  if (d.priv && !d.auth) ts.error('SNMP privacy (priv) needs authentication (auth)', at);
  if (d.community !== undefined) ts.error('SNMP version 3 has no community', at);
  const user: User = { name: d.userName, ...(d.auth ? { auth: d.auth } : {}), ...(d.priv ? { priv: d.priv } : {}) };
  return { ...base, user };
}

interface QueryParse {
  query: SnmpQuery;
  condition: Condition;
  event: EventClass;
  describe: string;
  comparison?: Comparison;
}

function readQuery(ts: TokenStream, polarity: ParseContext['polarity']): QueryParse {
  if (polarity === 'failed' || polarity === 'succeeded') {
    // `if failed snmp …`: the agent answers (and the OID exists).
    const oid = ts.accept('oid') ? readOid(ts) : undefined;
    const condition: Condition = { kind: 'state', ...(polarity === 'succeeded' ? { invert: true } : {}) };
    return { query: { kind: 'oid', oid: oid ?? SYS_UPTIME }, condition, event: 'connection', describe: oid ? `oid "${oid}"` : 'agent' };
  }
  if (polarity === 'changed') {
    ts.expect('oid');
    const oid = readOid(ts);
    return { query: { kind: 'oid', oid }, condition: { kind: 'changed' }, event: 'status', describe: `oid "${oid}"` };
  }
  const word = ts.expect('oid', 'load', 'loadavg', 'disk', 'interface', 'uptime').text.toLowerCase();
  switch (word) {
    case 'oid': {
      const oid = readOid(ts);
      return compared(ts, { kind: 'oid', oid }, ['none', 'percent', 'bytes', 'ms'], 'resource', `oid "${oid}"`);
    }
    case 'interface': {
      const name = ts.string('an interface name');
      const want = ts.expect('down', 'up').text.toLowerCase() as 'up' | 'down';
      // ifOperStatus: 1 is up; anything else (down, testing, dormant, lowerLayerDown…) is not.
      const comparison: Comparison = { op: want === 'down' ? '!=' : '=', value: 1, unit: 'none', text: '1' };
      return { query: { kind: 'interface', name, want }, condition: { kind: 'compare', comparison }, event: 'link', describe: `interface "${name}" ${want}` };
    }
    case 'uptime':
      return compared(ts, { kind: 'uptime' }, ['ms'], 'uptime', 'uptime');
    case 'disk': {
      const path = ts.string('a mount point');
      ts.accept('space');
      const free = ts.accept('free') !== undefined;
      const c = ts.comparison(['percent', 'bytes']);
      const measure = c.unit === 'percent' ? (free ? 'free-percent' : 'used-percent') : free ? 'free-bytes' : 'used-bytes';
      return { query: { kind: 'disk', path, measure }, condition: { kind: 'compare', comparison: c }, comparison: c, event: 'resource', describe: `disk "${path}" ${free ? 'free' : 'usage'} ${c.op} ${c.text}` };
    }
    default: {
      const minutes = readLoadPeriod(ts);
      return compared(ts, { kind: 'load', minutes }, ['none'], 'resource', `load (${minutes}min)`);
    }
  }
}

function compared(ts: TokenStream, query: SnmpQuery, units: Comparison['unit'][], event: EventClass, what: string): QueryParse {
  const tok = ts.peek();
  if (tok.kind !== 'op' && tok.kind !== 'number' && !(tok.kind === 'word' && /^(gt|ge|lt|le|eq|ne|greater|more|less|equal|notequal)$/i.test(tok.text))) {
    ts.syntaxError('a comparison (OP VALUE)', tok);
  }
  const comparison = ts.comparison(units);
  return { query, condition: { kind: 'compare', comparison }, comparison, event, describe: `${what} ${comparison.op} ${comparison.text}` };
}

function readOid(ts: TokenStream): string {
  const tok = ts.peek();
  const oid = ts.string('an OID');
  if (!OID.test(oid)) ts.error('Invalid OID, expected numeric dotted form like 1.3.6.1.2.1.1.3.0', tok);
  return oid.replace(/^\./, '');
}

/** `(1min)`, `(5 min)`, `(15m)`: the parentheses are noise; the number picks laLoad.1/.2/.3. */
function readLoadPeriod(ts: TokenStream): 1 | 5 | 15 {
  const tok = ts.peek();
  if (tok.kind !== 'number' || ts.peek(1).kind === 'op') ts.syntaxError("a load period '(1min)', '(5min)' or '(15min)'", tok);
  const n = ts.number();
  if (n !== 1 && n !== 5 && n !== 15) ts.syntaxError("a load period '(1min)', '(5min)' or '(15min)'", tok);
  if (!ts.accept('min', 'm', 'minute', 'minutes')) ts.syntaxError("'min'");
  return n;
}
