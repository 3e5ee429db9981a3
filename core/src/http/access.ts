import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BlockList, isIPv4, SocketAddress } from 'node:net';
import md5crypt from 'apache-md5';
import crypt from 'unix-crypt-td-js';
import type { HttpdSettings } from '../config/model.js';

/** Who a request comes from, once let in. */
export interface Principal {
  readonly user?: string;
  readonly readOnly: boolean;
}

/** The verdict on one request: in, or the status to answer with. */
export type AccessVerdict = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

interface Credential {
  readonly check: (password: string) => boolean;
  readonly readOnly: boolean;
}

/**
 * Monit's access rules (reference H13–H15): a client must match an `allow` host or network
 * (when any is given) and then, when users are defined, send Basic credentials.
 * Host names in `allow` are resolved once, when the interface starts.
 */
export class AccessControl {
  private constructor(
    private readonly hosts: BlockList | undefined,
    private readonly users: ReadonlyMap<string, Credential>,
    private readonly readOnlyServer: boolean,
  ) {}

  /** Build from `set httpd`; unresolvable host names are reported through `warn`. */
  static async create(settings: HttpdSettings, warn: (message: string) => void): Promise<AccessControl> {
    let hosts: BlockList | undefined;
    if (settings.allowHosts.length) {
      hosts = new BlockList();
      for (const entry of settings.allowHosts) await addHost(hosts, entry, warn);
    }
    const users = new Map<string, Credential>();
    for (const u of settings.users) users.set(u.name, { check: (p) => safeEqual(p, u.password), readOnly: u.readOnly || settings.readOnly });
    for (const h of settings.htpasswd) {
      for (const [name, hash] of readHtpasswd(h.path, warn)) {
        if (h.users.length && !h.users.includes(name)) continue;
        if (!users.has(name)) users.set(name, { check: (p) => verifyHash(h.hash, p, hash), readOnly: h.readOnly || settings.readOnly });
      }
    }
    for (const g of settings.pamGroups) warn(`allow @${g}: PAM groups are not supported by warden; nobody is let in through them`);
    return new AccessControl(hosts, users, settings.readOnly);
  }

  /** Check a request's address and `Authorization` header. */
  check(remoteAddress: string | undefined, authorization: string | undefined): AccessVerdict {
    if (this.hosts) {
      const address = normalise(remoteAddress ?? '');
      // The socket's own address: an IPv6 one is the only kind with a colon.
      const family = address.includes(':') ? 'ipv6' : 'ipv4';
      if (!address || !this.hosts.check(address, family)) {
        return { ok: false, status: 403, reason: `access denied -- client [${remoteAddress}]: not allowed by the allow list` };
      }
    }
    if (this.users.size === 0) return { ok: true, principal: { readOnly: this.readOnlyServer } };
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (!basic) return { ok: false, status: 401, reason: `access denied -- client [${remoteAddress}]: missing or invalid Authorization header` };
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    const cred = this.users.get(name);
    if (!cred) return { ok: false, status: 401, reason: `access denied -- client [${remoteAddress}]: unknown user '${name}'` };
    if (!cred.check(password)) return { ok: false, status: 401, reason: `access denied -- client [${remoteAddress}]: wrong password for user '${name}'` };
    return { ok: true, principal: { user: name, readOnly: cred.readOnly } };
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

async function addHost(list: BlockList, entry: string, warn: (m: string) => void): Promise<void> {
  const slash = entry.indexOf('/');
  if (slash > 0) {
    const net = entry.slice(0, slash);
    const mask = entry.slice(slash + 1);
    const version = ipVersion(net);
    const prefix = /^\d+$/.test(mask) ? Number(mask) : maskToPrefix(mask);
    if (version === 0 || prefix === undefined) {
      warn(`invalid allow option '${entry}'`);
      return;
    }
    list.addSubnet(net, prefix, version === 6 ? 'ipv6' : 'ipv4');
    return;
  }
  const version = ipVersion(entry);
  if (version !== 0) {
    list.addAddress(entry, version === 6 ? 'ipv6' : 'ipv4');
    return;
  }
  try {
    // node:dns loads here: most allow lists are addresses, and it costs start-up ~1 ms.
    const { lookup } = await import('node:dns/promises');
    for (const a of await lookup(entry, { all: true })) list.addAddress(a.address, a.family === 6 ? 'ipv6' : 'ipv4');
    if (entry === 'localhost') {
      list.addAddress('127.0.0.1', 'ipv4');
      list.addAddress('::1', 'ipv6');
    }
  } catch {
    warn(`invalid allow option '${entry}': cannot resolve the host name`);
  }
}

/**
 * 4 or 6 for an IP address, 0 for a host name: `net.isIP`'s answer without its IPv6 pattern,
 * which takes V8 ~7 ms to compile at its first use, at the start of every daemon with `allow
 * localhost`. An IPv6 address always has a colon, and the system's inet_pton reads it.
 */
function ipVersion(entry: string): 0 | 4 | 6 {
  if (isIPv4(entry)) return 4;
  if (!entry.includes(':')) return 0;
  try {
    return new SocketAddress({ address: entry, family: 'ipv6' }).family === 'ipv6' ? 6 : 0;
  } catch {
    return 0;
  }
}

/** `255.255.255.0` → 24; undefined when not a contiguous mask. */
function maskToPrefix(mask: string): number | undefined {
  if (!isIPv4(mask)) return undefined;
  const bits = mask.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

function readHtpasswd(path: string, warn: (m: string) => void): Array<[string, string]> {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as [string, string]);
  } catch (err) {
    warn(`cannot read the htpasswd file '${path}' -- ${(err as Error).message}`);
    return [];
  }
}

function verifyHash(kind: 'cleartext' | 'md5' | 'crypt', password: string, stored: string): boolean {
  if (kind === 'cleartext') return safeEqual(password, stored);
  if (kind === 'md5') return safeEqual(md5crypt(password, stored), stored);
  return safeEqual(crypt(password, stored.slice(0, 2)), stored);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
