import { compare, defineTest, fail, ok, type ProbeResult, type ProbeContext } from '@warden/sdk';
import type { SnmpOptions } from './options.js';
import { parseSnmp } from './parse.js';
import { read } from './queries.js';
import { dropSession, SnmpRequestError, type Peer } from './session.js';

/**
 * What this test reads of a `check host` service. The `protocols` plugin's host type gives
 * `host` and its per-cycle `resolution`; a plain `{ address }` target works too.
 */
export interface HostTarget {
  readonly address?: string;
  readonly host?: string;
  readonly resolution?: { readonly addresses: readonly { readonly address: string; readonly family: 4 | 6 }[] } | { readonly error: string };
}

/** The address to ask (IPv4 first, as most agents listen there), or why there is none. */
function addressOf(target: HostTarget | undefined): { address: string } | { error: string } {
  const res = target?.resolution;
  if (res && 'error' in res) return { error: res.error };
  if (res && res.addresses.length > 0) return { address: (res.addresses.find((a) => a.family === 4) ?? res.addresses[0]!).address };
  const address = target?.address ?? target?.host;
  if (typeof address !== 'string' || address === '') return { error: 'the service has no address to ask (snmp needs check host NAME with address A)' };
  return { address };
}

/** Set to 1 when the agent answered the rule's request, 0 when it did not. */
export const SNMP_UP_METRIC = 'warden_snmp_up';
/** The numeric value a comparison rule read, labelled with the rule's query (`load (1min)`). */
export const SNMP_VALUE_METRIC = 'warden_snmp_value';

const CODES = {
  'snmp.timeout': 'the agent did not answer in time (down, filtered, wrong community or v3 credentials)',
  'snmp.auth': 'the agent refused the v3 credentials (unknown user, wrong digest, decryption error, security level)',
  'snmp.nosuchobject': 'the agent answered that the OID does not exist (noSuchObject, noSuchInstance, noSuchName)',
  'snmp.notfound': 'the named disk or interface is not in the agent\'s tables',
  'snmp.notnumeric': 'a comparison rule read a value that is not a number',
  'snmp.error': 'the request failed otherwise (an error status from the agent, a socket error)',
} as const;

/**
 * `if [failed|succeeded|changed] snmp …` on a `check host` service (a warden extension):
 * the agent at the host's address answers, an OID's value, and named shortcuts for what
 * Monit checks locally (load, disk, interface status, uptime). One net-snmp session per
 * rule lives in `ctx.state` and is reused across cycles.
 */
export const snmpTest = defineTest<SnmpOptions, HostTarget>({
  name: 'snmp.snmp',
  summary: 'SNMP (v1, v2c, v3) on a remote host: any OID, and its load, disk, interfaces and uptime',
  serviceTypes: ['host'],
  keywords: ['snmp'],
  polarities: ['none', 'failed', 'succeeded', 'changed'],
  event: 'connection',
  codes: CODES,
  options: {
    port: { type: 'integer', description: 'UDP port of the agent.', default: 161 },
    version: { type: 'enum', values: ['1', '2c', '3'], description: 'SNMP version; a `user` implies 3.', default: '2c' },
    community: { type: 'string', description: 'Community of a v1/v2c request.', default: 'public' },
    user: { type: 'string', description: 'v3 user name (USM).' },
    auth: { type: 'string', description: 'v3 authentication: `auth md5|sha|sha224|sha256|sha384|sha512 "PASSPHRASE"`.' },
    priv: { type: 'string', description: 'v3 privacy: `priv des|aes|aes256b|aes256r "PASSPHRASE"` (needs `auth`).' },
    timeout: { type: 'duration', description: "The rule's deadline (Monit's networkTimeout); net-snmp's own per-try timeout is cut from it.", default: '5 s' },
    retry: { type: 'integer', description: 'Re-sends within one check; the tries share the deadline.', default: 1 },
    oid: { type: 'string', description: 'A numeric OID (`"1.3.6.1.2.1.1.3.0"`).' },
  },
  metrics: [
    { name: SNMP_UP_METRIC, help: 'Whether the SNMP agent answered the last request (1) or not (0)', type: 'gauge' },
    { name: SNMP_VALUE_METRIC, help: 'The last numeric value an SNMP comparison rule read', type: 'gauge', labels: ['query'] },
  ],
  parse: (ts, ctx) => parseSnmp(ts, ctx),
  run: runSnmp,
});

async function runSnmp(ctx: ProbeContext<SnmpOptions, HostTarget>): Promise<ProbeResult> {
  const { connection, query, comparison } = ctx.options;
  const found = addressOf(ctx.target);
  if ('error' in found) return fail('snmp.error', `failed protocol test [SNMPv${connection.version}] -- ${found.error}`);
  const { address } = found;
  const peer: Peer = { address, connection };
  const where = `[${address}]:${connection.port} [UDP/IP]`;
  const stateRule = ctx.options.query.kind === 'oid' && !comparison;
  try {
    const reading = await read(ctx, peer, query, comparison !== undefined);
    ctx.metrics.set(SNMP_UP_METRIC, 1);
    const extras = { value: reading.value, display: reading.display, ...(reading.observations ? { observations: reading.observations } : {}) };
    if (stateRule) return ok(`connection succeeded to ${where} -- ${reading.what} = ${reading.display}`, extras);
    if (typeof reading.value === 'number') ctx.metrics.set(SNMP_VALUE_METRIC, reading.value, { query: reading.what });
    if (query.kind === 'interface') {
      const up = reading.value === 1;
      return ok(`link ${up ? 'up' : 'down'} on ${reading.what} -- ${reading.display}`, extras);
    }
    const limit = `${reading.what} ${comparison!.op} ${comparison!.text}`;
    const matches = typeof reading.value === 'number' && compare(reading.value, comparison!.op, comparison!.value);
    // Monit's resource wording; the rule engine, not this message, decides.
    return ok(
      matches
        ? `${reading.what} of ${reading.display} matches resource limit [${limit}]`
        : `${reading.what} check succeeded [current ${reading.what} = ${reading.display}]`,
      extras,
    );
  } catch (err) {
    if (!(err instanceof SnmpRequestError)) throw err;
    // After silence or a refusal start afresh next cycle: a restarted or replaced v3 agent has
    // a new engine id and boot count that a kept session would never learn.
    if (err.reason === 'timeout' || err.reason === 'auth' || err.reason === 'error') dropSession(ctx.state);
    ctx.metrics.set(SNMP_UP_METRIC, err.reason === 'timeout' ? 0 : 1);
    const protocol = `SNMPv${connection.version}`;
    return fail(`snmp.${err.reason}`, `failed protocol test [${protocol}] at ${where} -- ${err.message}`);
  }
}
