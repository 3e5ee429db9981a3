import { isIP } from 'node:net';

/** One address to ping. */
export interface PingAddress {
  readonly address: string;
  readonly family?: 4 | 6;
}

/**
 * What this plugin accepts as its target: the `host` service type's (from the `protocols`
 * plugin: the address as written and what it resolved to this cycle), or a bare
 * `{ address, family? }` for other service types and tests.
 */
export type IcmpTarget =
  | {
    readonly host: string;
    readonly resolution: { readonly addresses: readonly PingAddress[] } | { readonly error: string };
  }
  | PingAddress;

/** The address to ping for `family` (4 for ping4, 6 for ping6, any for ping), or why there is none. */
export function pickAddress(target: IcmpTarget | undefined, family: 4 | 6 | undefined): PingAddress | { readonly error: string } {
  if (!target) return { error: 'no address to ping' };
  if ('resolution' in target) {
    if ('error' in target.resolution) return { error: target.resolution.error };
    const found = target.resolution.addresses.find((a) => family === undefined || a.family === family);
    return found ?? { error: `'${target.host}' has no IPv${family} address` };
  }
  const literal = isIP(target.address);
  const known = target.family ?? (literal === 4 || literal === 6 ? literal : undefined);
  if (family !== undefined && known !== undefined && known !== family) return { error: `'${target.address}' is not an IPv${family} address` };
  const chosen = family ?? known;
  return { address: target.address, ...(chosen ? { family: chosen } : {}) };
}
