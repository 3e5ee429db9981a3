import { defineServiceType } from '@warden/sdk';
import { resolveHost, type Resolution } from './resolve.js';

/** `check host NAME [with] address HOST`. */
export interface HostOptions {
  readonly address: string;
}

/** What the tests of a host see each cycle: its address as written and what it resolved to. */
export interface HostTarget {
  readonly kind: 'host';
  readonly host: string;
  readonly resolution: Resolution;
}

/**
 * `check host NAME [with] address HOST` (Monit B9): a remote host. The name is resolved once
 * per cycle (shared by every service naming it); each port test picks IPv4 or IPv6 from it.
 */
export const hostService = defineServiceType<HostOptions, HostTarget>({
  name: 'host',
  summary: 'A remote host, tested through its ports',
  keywords: ['host'],
  monitType: 'host',
  options: {
    address: { type: 'string', description: 'Host name or IP address; a name is resolved once per cycle.' },
  },
  parseTarget(ts) {
    ts.expect('address');
    return { address: ts.string('a host name or address') };
  },
  describe: (o) => o.address,
  async observe(ctx) {
    return { kind: 'host', host: ctx.options.address, resolution: await resolveHost(ctx.options.address, ctx.cycle, ctx.signal) };
  },
});
