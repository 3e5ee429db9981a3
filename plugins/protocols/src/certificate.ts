import { createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { ProbeContext } from '@warden/sdk';
import type { PortOptions } from './port-options.js';

const DAY_MS = 86_400_000;

/** When the server certificate expires, in Unix seconds (blackbox_exporter's name). */
export const PROBE_CERT_EXPIRY = 'probe_ssl_earliest_cert_expiry';

/**
 * Record the certificate's expiry and judge `certificate valid > N days` and the pinned
 * checksum (a digest of the DER form, as Monit's). Returns the problem, or undefined.
 */
export function inspectCertificate(ctx: ProbeContext<PortOptions, unknown>, cert: PeerCertificate | undefined, endpoint: string): string | undefined {
  const expiry = cert?.valid_to ? Date.parse(cert.valid_to) : NaN;
  if (!Number.isNaN(expiry)) ctx.metrics.set(PROBE_CERT_EXPIRY, expiry / 1000, { endpoint });
  const want = ctx.options.certificate;
  if (!want) return undefined;
  if (!cert || !cert.raw) return 'no server certificate';
  if (want.validDays !== undefined) {
    const days = Math.floor((expiry - ctx.clock.now()) / DAY_MS);
    if (days < want.validDays) return `certificate expires in ${days} days, limit is valid > ${want.validDays} days`;
  }
  if (want.checksum) {
    const got = createHash(want.checksum.algorithm).update(cert.raw).digest('hex');
    if (got !== want.checksum.hex) return `certificate checksum ${got.toUpperCase()} does not match the expected ${want.checksum.algorithm.toUpperCase()} ${want.checksum.hex.toUpperCase()}`;
  }
  return undefined;
}
