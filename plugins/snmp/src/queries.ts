import type { Varbind } from 'net-snmp';
import type { SnmpQuery } from './options.js';
import { isMissing, missingText, snmpGet, snmpWalk, SnmpRequestError, type Peer, type RequestContext } from './session.js';

/** net-snmp's type tags for the values this file converts. */
const TIME_TICKS = 67;
const COUNTER64 = 70;

/** UCD-SNMP-MIB laLoad.N (a string such as "0.80"); index 1, 2, 3 = 1, 5, 15 minutes. */
const LA_LOAD = '1.3.6.1.4.1.2021.10.1.3';
/** HOST-RESOURCES-MIB hrSystemUptime.0: the host's uptime (sysUpTime is the agent's). */
const HR_SYSTEM_UPTIME = '1.3.6.1.2.1.25.1.1.0';
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
/** HOST-RESOURCES-MIB hrStorageEntry: descr .3, allocation units .4, size .5, used .6. */
const HR_STORAGE = '1.3.6.1.2.1.25.2.3.1';
/** UCD-SNMP-MIB dskEntry (needs `disk PATH` in snmpd.conf): path .2, total .6, avail .7, used .8, percent .9 (kB). */
const DSK = '1.3.6.1.4.1.2021.9.1';
/** IF-MIB ifEntry: descr .2, adminStatus .7, operStatus .8; ifXEntry ifName .1. */
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IF_NAME = '1.3.6.1.2.1.31.1.1.1.1';
const IF_STATUS = ['', 'up', 'down', 'testing', 'unknown', 'dormant', 'notPresent', 'lowerLayerDown'];

/** One value read from the agent, with how to print it. */
export interface Reading {
  readonly value: number | string;
  readonly display: string;
  /** What was read, for messages: `load (1min)`, `disk "/" usage`. */
  readonly what: string;
  readonly observations?: Readonly<Record<string, number | string>>;
}

/** Read what the rule asks for. Throws {@link SnmpRequestError}. */
export async function read(ctx: RequestContext, peer: Peer, query: SnmpQuery, numeric: boolean): Promise<Reading> {
  switch (query.kind) {
    case 'oid': return readOid(ctx, peer, query.oid, numeric);
    case 'load': {
      const [vb] = await getPresent(ctx, peer, [`${LA_LOAD}.${query.minutes === 1 ? 1 : query.minutes === 5 ? 2 : 3}`]);
      const value = Number.parseFloat(String(plain(vb!)));
      if (!Number.isFinite(value)) throw new SnmpRequestError('notnumeric', `laLoad is not a number: ${String(plain(vb!))}`);
      return { value, display: value.toFixed(2), what: `load (${query.minutes}min)` };
    }
    case 'uptime': {
      const vbs = await snmpGet(ctx, peer, [HR_SYSTEM_UPTIME, SYS_UPTIME]);
      const vb = vbs.find((v) => !isMissing(v) && typeof v.value === 'number');
      if (!vb) throw new SnmpRequestError('nosuchobject', 'neither hrSystemUptime.0 nor sysUpTime.0 exists on the agent');
      const ms = (vb.value as number) * 10;
      return { value: ms, display: formatUptime(ms), what: 'uptime' };
    }
    case 'disk': return readDisk(ctx, peer, query);
    case 'interface': return readInterface(ctx, peer, query.name);
  }
}

async function readOid(ctx: RequestContext, peer: Peer, oid: string, numeric: boolean): Promise<Reading> {
  const [vb] = await getPresent(ctx, peer, [oid]);
  const value = plain(vb!);
  if (vb!.type === TIME_TICKS && typeof value === 'number') {
    return { value: value * 10, display: `${formatUptime(value * 10)} (${value} ticks)`, what: `oid ${oid}` };
  }
  if (typeof value === 'number') return { value, display: String(value), what: `oid ${oid}` };
  if (numeric) {
    const n = /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isNaN(n)) throw new SnmpRequestError('notnumeric', `OID ${oid} is not a number: "${value}"`);
    return { value: n, display: String(n), what: `oid ${oid}` };
  }
  return { value, display: `"${value}"`, what: `oid ${oid}` };
}

async function readDisk(ctx: RequestContext, peer: Peer, query: Extract<SnmpQuery, { kind: 'disk' }>): Promise<Reading> {
  const what = `disk "${query.path}" ${query.measure.startsWith('free') ? 'free' : 'usage'}`;
  let sizeBytes: number;
  let usedBytes: number;
  const hr = await indexOf(ctx, peer, `${HR_STORAGE}.3`, query.path);
  if (hr !== undefined) {
    const [unit, size, used] = (await getPresent(ctx, peer, [4, 5, 6].map((c) => `${HR_STORAGE}.${c}.${hr}`))).map((v) => Number(plain(v)));
    sizeBytes = size! * unit!;
    usedBytes = used! * unit!;
  } else {
    const dsk = await indexOf(ctx, peer, `${DSK}.2`, query.path);
    if (dsk === undefined) throw new SnmpRequestError('notfound', `no storage "${query.path}" in hrStorageTable or dskTable`);
    const [total, used] = (await getPresent(ctx, peer, [6, 8].map((c) => `${DSK}.${c}.${dsk}`))).map((v) => Number(plain(v)) * 1024);
    sizeBytes = total!;
    usedBytes = used!;
  }
  const usedPercent = sizeBytes > 0 ? (usedBytes / sizeBytes) * 100 : 0;
  const observations = { diskSizeBytes: sizeBytes, diskUsedBytes: usedBytes, diskUsedPercent: Number(usedPercent.toFixed(1)) };
  switch (query.measure) {
    case 'used-percent': return { value: usedPercent, display: `${usedPercent.toFixed(1)}%`, what, observations };
    case 'free-percent': return { value: 100 - usedPercent, display: `${(100 - usedPercent).toFixed(1)}%`, what, observations };
    case 'used-bytes': return { value: usedBytes, display: `${usedBytes} B`, what, observations };
    case 'free-bytes': return { value: sizeBytes - usedBytes, display: `${sizeBytes - usedBytes} B`, what, observations };
  }
}

async function readInterface(ctx: RequestContext, peer: Peer, name: string): Promise<Reading> {
  const index = (await indexOf(ctx, peer, `${IF_ENTRY}.2`, name)) ?? (await indexOf(ctx, peer, IF_NAME, name));
  if (index === undefined) throw new SnmpRequestError('notfound', `no interface "${name}" in ifTable`);
  const [admin, oper] = (await getPresent(ctx, peer, [`${IF_ENTRY}.7.${index}`, `${IF_ENTRY}.8.${index}`])).map((v) => Number(plain(v)));
  const operText = IF_STATUS[oper!] ?? String(oper);
  return {
    value: oper!,
    display: `${operText} (ifOperStatus ${oper}, ifAdminStatus ${IF_STATUS[admin!] ?? admin})`,
    what: `interface "${name}"`,
    observations: { ifOperStatus: oper!, ifAdminStatus: admin! },
  };
}

/** The row index whose column `column` reads `text` (walked each time: indexes move on reboot). */
async function indexOf(ctx: RequestContext, peer: Peer, column: string, text: string): Promise<string | undefined> {
  const rows = await snmpWalk(ctx, peer, column);
  const row = rows.find((vb) => String(plain(vb)) === text);
  return row?.oid.slice(column.length + 1);
}

async function getPresent(ctx: RequestContext, peer: Peer, oids: string[]): Promise<Varbind[]> {
  const vbs = await snmpGet(ctx, peer, oids);
  const missing = vbs.find(isMissing);
  if (missing) throw new SnmpRequestError('nosuchobject', `${missingText(missing)} at OID ${missing.oid}`);
  return vbs;
}

/** A varbind's value as a number or a string (octet strings as text, Counter64 as a number). */
function plain(vb: Varbind): number | string {
  const v = vb.value;
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) {
    if (vb.type === COUNTER64) return Number(v.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n));
    return v.toString('utf8');
  }
  return String(v);
}

/** `3d 4h 5m`, the way Monit prints an uptime. */
export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}
