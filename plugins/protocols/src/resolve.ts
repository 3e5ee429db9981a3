import { isIP } from 'node:net';
import type { CycleContext } from '@warden/sdk';

/** One address of a host. */
export interface Address {
  readonly address: string;
  readonly family: 4 | 6;
}

/** A host's addresses, or why there are none. */
export type Resolution = { readonly addresses: readonly Address[] } | { readonly error: string };

/**
 * Resolve `host` once per cycle for every service and test that asks (`cycle.memo`): 1000
 * services on one name cost one lookup. IP literals need none.
 */
export function resolveHost(host: string, cycle: CycleContext, signal: AbortSignal): Promise<Resolution> {
  const family = isIP(host);
  if (family === 4 || family === 6) return Promise.resolve({ addresses: [{ address: host, family }] });
  // getaddrinfo cannot be cancelled; the caller stops waiting at its deadline instead.
  return abortable(signal, host, cycle.memo(`protocols.lookup:${host.toLowerCase()}`, async (): Promise<Resolution> => {
    try {
      // Loaded at the first name to resolve: checks of IP literals never load node:dns.
      const { lookup } = await import('node:dns/promises');
      const all = await lookup(host, { all: true });
      return { addresses: all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { error: `Cannot translate '${host}' to IP address${code ? ` (${code})` : ''}` };
    }
  }));
}

function abortable(signal: AbortSignal, host: string, work: Promise<Resolution>): Promise<Resolution> {
  if (signal.aborted) return Promise.resolve({ error: `Cannot translate '${host}' to IP address (timed out)` });
  return new Promise((resolve) => {
    const onAbort = () => resolve({ error: `Cannot translate '${host}' to IP address (timed out)` });
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then((r) => { signal.removeEventListener('abort', onAbort); resolve(r); });
  });
}

/** The addresses to try for an `ipv4`/`ipv6` restriction, in resolver order. */
export function pick(res: Resolution, family: 4 | 6 | undefined): readonly Address[] {
  if ('error' in res) return [];
  return family ? res.addresses.filter((a) => a.family === family) : res.addresses;
}
