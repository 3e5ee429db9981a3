import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';

/** Interface counters as the kernel keeps them (`/proc/net/dev`). */
export interface Counters {
  readonly rxBytes: number;
  readonly rxPackets: number;
  readonly rxErrors: number;
  readonly txBytes: number;
  readonly txPackets: number;
  readonly txErrors: number;
}

/** The link as `/sys/class/net/IF` shows it. */
export interface LinkState {
  /** Administratively up (`IFF_UP` in `flags`). */
  readonly adminUp: boolean;
  /** `operstate`: up, down, unknown, lowerlayerdown, dormant, … */
  readonly operstate: string;
  /** `carrier`; undefined when the kernel will not say (the interface is down). */
  readonly carrier: boolean | undefined;
  /** Mb/s; undefined when unknown (loopback, a down link). */
  readonly speedMbps: number | undefined;
  /** `full`, `half` or `unknown`. */
  readonly duplex: string;
}

const IFF_UP = 0x1;

/**
 * Parse `/proc/net/dev`: two header lines, then `NAME: rx bytes packets errs drop fifo frame
 * compressed multicast tx bytes packets errs drop fifo colls carrier compressed`.
 */
export function parseProcNetDev(text: string): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 16) continue;
    out.set(line.slice(0, colon).trim(), { rxBytes: f[0]!, rxPackets: f[1]!, rxErrors: f[2]!, txBytes: f[8]!, txPackets: f[9]!, txErrors: f[10]! });
  }
  return out;
}

/** Read `/proc/net/dev` (callers share one read per cycle through `ctx.cycle.memo`). */
export async function readProcNetDev(signal: AbortSignal): Promise<Map<string, Counters>> {
  return parseProcNetDev(await readFile('/proc/net/dev', { encoding: 'utf8', signal }));
}

async function sysValue(name: string, file: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await readFile(`/sys/class/net/${name}/${file}`, { encoding: 'utf8', signal })).trim();
  } catch (err) {
    // EINVAL: the kernel has no answer now (speed of a down link, carrier of a down interface).
    if ((err as NodeJS.ErrnoException).code === 'EINVAL') return undefined;
    throw err;
  }
}

/** The link state of interface `name`, or undefined when there is no such interface. */
export async function readLinkState(name: string, signal: AbortSignal): Promise<LinkState | undefined> {
  let flags: string | undefined;
  try {
    flags = await sysValue(name, 'flags', signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const [operstate, carrier, speed, duplex] = await Promise.all(
    ['operstate', 'carrier', 'speed', 'duplex'].map((f) => sysValue(name, f, signal).catch(() => undefined)),
  );
  const mbps = speed === undefined ? Number.NaN : Number(speed);
  return {
    adminUp: (Number.parseInt(flags ?? '0', 16) & IFF_UP) !== 0,
    operstate: operstate ?? 'unknown',
    carrier: carrier === undefined ? undefined : carrier === '1',
    speedMbps: Number.isFinite(mbps) && mbps > 0 ? mbps : undefined,
    duplex: duplex ?? 'unknown',
  };
}

/**
 * Up means administratively up with a carrier: `operstate` `up`, or `unknown` with carrier
 * (loopback and some virtual devices never report `up`).
 */
export function isLinkUp(link: LinkState): boolean {
  return link.adminUp && (link.operstate === 'up' || (link.operstate === 'unknown' && link.carrier === true));
}

/** The interface holding IP address `address` now, if any (only interfaces that are up list addresses). */
export function interfaceWithAddress(address: string): string | undefined {
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (addrs?.some((a) => a.address === address)) return name;
  }
  return undefined;
}
