import type NetSnmp from 'net-snmp';
import type { Session, Varbind } from 'net-snmp';
import type { SnmpConnection } from './options.js';

/** net-snmp's type tags (and names) of the varbinds that carry an error instead of a value. */
const VARBIND_ERRORS: Readonly<Record<number, string>> = { 128: 'NoSuchObject', 129: 'NoSuchInstance', 130: 'EndOfMibView' };

/** net-snmp, loaded by the first request, not at start-up: a daemon without SNMP rules never needs it. */
async function loadNetSnmp(): Promise<typeof NetSnmp> {
  return (await import('net-snmp')).default;
}

/** Leave this much of the deadline to turn a net-snmp timeout into our own failure. */
const DEADLINE_MARGIN_MS = 100;

/** A session kept in a rule's `ctx.state` between cycles (net-snmp remembers v3 engine ids). */
interface Held {
  readonly session: Session;
  readonly key: string;
}

/** The state key of a rule's session. */
const SESSION = 'snmpSession';

/** Why a request failed, sorted for failure codes. */
export class SnmpRequestError extends Error {
  constructor(readonly reason: 'timeout' | 'auth' | 'error' | 'nosuchobject' | 'notfound' | 'notnumeric', message: string) {
    super(message);
  }
}

/** Where and how to ask: the target address plus the rule's connection words. */
export interface Peer {
  readonly address: string;
  readonly connection: SnmpConnection;
}

function keyOf(peer: Peer): string {
  return JSON.stringify([peer.address, peer.connection]);
}

function open(snmp: typeof NetSnmp, peer: Peer): Session {
  const { address, connection: c } = peer;
  const options = { port: c.port, retries: c.retries, transport: address.includes(':') ? 'udp6' as const : 'udp4' as const };
  if (c.version !== '3') {
    return snmp.createSession(address, c.community, { ...options, version: c.version === '1' ? snmp.Version1 : snmp.Version2c });
  }
  const u = c.user!;
  const level = u.priv ? snmp.SecurityLevel.authPriv : u.auth ? snmp.SecurityLevel.authNoPriv : snmp.SecurityLevel.noAuthNoPriv;
  return snmp.createV3Session(address, {
    name: u.name,
    level,
    ...(u.auth ? { authProtocol: snmp.AuthProtocols[u.auth.protocol]!, authKey: u.auth.key } : {}),
    ...(u.priv ? { privProtocol: snmp.PrivProtocols[u.priv.protocol]!, privKey: u.priv.key } : {}),
  }, { ...options, version: snmp.Version3 });
}

/** What a request needs from the probe context. */
export interface RequestContext {
  readonly state: Record<string, unknown>;
  readonly signal: AbortSignal;
  readonly deadline: number;
  readonly clock: { now(): number };
}

/** Close and forget the rule's session (on abort, on a socket error, when its peer changed). */
export function dropSession(state: Record<string, unknown>): void {
  const held = state[SESSION] as Held | undefined;
  delete state[SESSION];
  try {
    held?.session.close();
  } catch {
    // Already closed: net-snmp throws on a second close of its socket.
  }
}

/**
 * The rule's session, created on first use and reused across cycles, with net-snmp's own
 * per-try timeout set from what is left until `ctx.deadline` (split over the tries).
 */
function sessionFor(snmp: typeof NetSnmp, ctx: RequestContext, peer: Peer): Session {
  const key = keyOf(peer);
  let held = ctx.state[SESSION] as Held | undefined;
  if (held && held.key !== key) {
    dropSession(ctx.state);
    held = undefined;
  }
  if (!held) {
    const session = open(snmp, peer);
    const state = ctx.state;
    // A socket error must not become an unhandled 'error' event; the next cycle reopens.
    session.on('error', () => {
      if (state[SESSION] === entry) dropSession(state);
    });
    const entry: Held = { session, key };
    ctx.state[SESSION] = entry;
    held = entry;
  }
  const left = ctx.deadline - ctx.clock.now() - DEADLINE_MARGIN_MS;
  held.session.timeout = Math.max(1, Math.floor(left / (peer.connection.retries + 1)));
  return held.session;
}

/** Run one net-snmp call with the rule's session; an abort closes the session. */
async function withSession<T>(ctx: RequestContext, peer: Peer, call: (s: Session, settle: (err: Error | null, value?: T) => void) => void): Promise<T> {
  const snmp = await loadNetSnmp();
  if (ctx.signal.aborted) throw ctx.signal.reason;
  const session = sessionFor(snmp, ctx, peer);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      dropSession(ctx.state);
      reject(ctx.signal.reason);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    call(session, (err, value) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (err) reject(classify(snmp, err));
      else resolve(value as T);
    });
  });
}

function classify(snmp: typeof NetSnmp, err: Error): SnmpRequestError {
  if (err instanceof snmp.RequestTimedOutError) return new SnmpRequestError('timeout', 'SNMP request timed out');
  // net-snmp reports a v3 USM report PDU (RFC 3414 usmStats) with these texts.
  if (/^(Unsupported Security Level|Unknown User Name|Unknown Engine ID|Wrong Digest|Decryption Error|Not In Time Window)/.test(err.message)) {
    return new SnmpRequestError('auth', err.message);
  }
  if (err instanceof snmp.RequestFailedError && /NoSuchName/.test(err.message)) return new SnmpRequestError('nosuchobject', err.message);
  return new SnmpRequestError('error', err.message);
}

/** GET the OIDs; a varbind error (`noSuchObject`, `noSuchInstance`) is left in the varbind. */
export function snmpGet(ctx: RequestContext, peer: Peer, oids: string[]): Promise<Varbind[]> {
  return withSession<Varbind[]>(ctx, peer, (s, settle) => s.get(oids, (err, vbs) => settle(err, vbs)));
}

/** Walk the column `oid` (GETBULK on v2c/v3, GETNEXT on v1): every varbind below it. */
export function snmpWalk(ctx: RequestContext, peer: Peer, oid: string): Promise<Varbind[]> {
  const rows: Varbind[] = [];
  return withSession<Varbind[]>(ctx, peer, (s, settle) =>
    s.subtree(oid, 20, (vbs) => {
      for (const vb of vbs) if (!isMissing(vb)) rows.push(vb);
    }, (err) => settle(err, rows)),
  );
}

/** True for `noSuchObject`, `noSuchInstance`, `endOfMibView`. */
export function isMissing(vb: Varbind): boolean {
  return vb.type in VARBIND_ERRORS;
}

/** The varbind's error name (`NoSuchObject`). */
export function missingText(vb: Varbind): string {
  return VARBIND_ERRORS[vb.type] ?? 'NotAnError';
}
