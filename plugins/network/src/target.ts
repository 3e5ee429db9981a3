import type { TokenStream } from '@warden/sdk';

/** `check network NAME with interface IF | address IP`. */
export type NetworkOptions =
  | { readonly interface: string }
  | { readonly address: string };

/** Parse the header after `check network NAME` (Monit B12). */
export function parseNetworkTarget(ts: TokenStream): NetworkOptions {
  const tok = ts.expect('interface', 'address');
  const value = ts.string(tok.text.toLowerCase() === 'interface' ? 'an interface name' : 'an IP address');
  return tok.text.toLowerCase() === 'interface' ? { interface: value } : { address: value };
}
