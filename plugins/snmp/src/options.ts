import type { Comparison } from '@warden/sdk';

/** Monit's networkTimeout (5 s): the deadline of one SNMP rule unless `timeout N seconds` says otherwise. */
export const DEFAULT_SNMP_TIMEOUT_MS = 5000;

/** How to reach the agent: version, credentials, port, timing. */
export interface SnmpConnection {
  readonly port: number;
  readonly version: '1' | '2c' | '3';
  /** v1/v2c community. */
  readonly community: string;
  /** v3 user-based security (USM). */
  readonly user?: {
    readonly name: string;
    readonly auth?: { readonly protocol: 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512'; readonly key: string };
    readonly priv?: { readonly protocol: 'des' | 'aes' | 'aes256b' | 'aes256r'; readonly key: string };
  };
  /** Re-sends within one check (net-snmp `retries`); each try gets an equal share of the deadline. */
  readonly retries: number;
}

/** What one rule reads from the agent. */
export type SnmpQuery =
  | { readonly kind: 'oid'; readonly oid: string }
  | { readonly kind: 'load'; readonly minutes: 1 | 5 | 15 }
  | { readonly kind: 'disk'; readonly path: string; readonly measure: 'used-percent' | 'free-percent' | 'used-bytes' | 'free-bytes' }
  | { readonly kind: 'interface'; readonly name: string; readonly want: 'up' | 'down' }
  | { readonly kind: 'uptime' };

/** A parsed `snmp …` rule. */
export interface SnmpOptions {
  readonly connection: SnmpConnection;
  readonly query: SnmpQuery;
  /** The rule's deadline; the runner reads it as `timeoutMs`. */
  readonly timeoutMs: number;
  /** The threshold of a comparison rule, kept for messages. */
  readonly comparison?: Comparison;
}

/** sysUpTime.0: answered by every agent, so it is what `if failed snmp` asks for without an OID. */
export const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
