import type { Comparison, ProtocolDefinition } from '@warden/sdk';

/** Where a port test connects: a host and port, or a unix socket path. */
export type Endpoint =
  | { readonly kind: 'net'; readonly host?: string; readonly port: number; readonly family?: 4 | 6; readonly source?: string }
  | { readonly kind: 'unix'; readonly path: string };

/** `with ssl { … }`: how to check the server's certificate. */
export interface TlsOptions {
  /** Verify the chain and name (`verify: enable`); Monit's default is not to. */
  readonly verify: boolean;
  /** With `verify`, still accept a self-signed certificate (`selfsigned: allow`). */
  readonly allowSelfSigned: boolean;
  readonly caFile?: string;
  /** Connect in clear and let the protocol upgrade with STARTTLS (Monit: ports 25, 143, 587). */
  readonly starttls?: boolean;
}

/** Certificate tests on the TLS connection (C52, C53). */
export interface CertificateCheck {
  readonly validDays?: number;
  readonly checksum?: { readonly algorithm: 'md5' | 'sha1' | 'sha256'; readonly hex: string };
}

/** Everything a `port` or `unixsocket` test was told. */
export interface PortOptions {
  readonly endpoint: Endpoint;
  readonly transport: 'tcp' | 'udp';
  readonly tls?: TlsOptions;
  /** The dialogue, from any plugin (`http` comes from http-check) or our own. */
  readonly protocol: ProtocolDefinition<unknown>;
  readonly protocolOptions: unknown;
  /** Per attempt: Monit's `with timeout N seconds` (default 5 s). */
  readonly attemptTimeoutMs: number;
  /** Monit's `retry N`: attempts in all. */
  readonly attempts: number;
  /** The runner's deadline for the whole test: every attempt's timeout. */
  readonly timeoutMs: number;
  readonly responseTime?: Comparison;
  readonly certificate?: CertificateCheck;
}
