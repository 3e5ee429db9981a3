import type { EventClass } from '@warden/sdk';

/** The four states an event can be posted in (Monit's `State_Type`). */
export type EventState = 'failed' | 'succeeded' | 'changed' | 'changednot';

/** One row of Monit 5.33's event table (reference §F). */
export interface EventTexts {
  readonly failed: string;
  readonly succeeded: string;
  readonly changed: string;
  readonly changednot: string;
  /** The legacy class bit: the XML `<event><id>` and the status `<status>` bitmask. */
  readonly bit: number;
}

/**
 * Reference §F, F1–F30. Where the reference elides the changed texts ("…"), the subject of
 * the failed text is used ("Download bytes exceeded" → "Download bytes changed"), which is
 * also what Monit's own event table holds. `action` events of a user request are posted as
 * changed and mail as "Action done".
 */
const EVENT_TABLE: Readonly<Record<EventClass, EventTexts>> = {
  action: row('Action failed', 'Action done', 'Action done', 'Action done', 0x20000),
  checksum: row('Checksum failed', 'Checksum succeeded', 'Checksum changed', 'Checksum not changed', 0x1),
  bytein: row('Download bytes exceeded', 'Download bytes ok', 'Download bytes changed', 'Download bytes not changed', 0x4000000),
  byteout: row('Upload bytes exceeded', 'Upload bytes ok', 'Upload bytes changed', 'Upload bytes not changed', 0x8000000),
  connection: row('Connection failed', 'Connection succeeded', 'Connection changed', 'Connection not changed', 0x20),
  content: row('Content failed', 'Content succeeded', 'Content match', "Content doesn't match", 0x8000),
  data: row('Data access error', 'Data access succeeded', 'Data access changed', 'Data access not changed', 0x800),
  exec: row('Execution failed', 'Execution succeeded', 'Execution changed', 'Execution not changed', 0x1000),
  exist: row('Does exist', 'Exists not', 'Existence changed', 'Existence not changed', 0x40000000),
  fsflags: row('Filesystem flags failed', 'Filesystem flags succeeded', 'Filesystem flags changed', 'Filesystem flags not changed', 0x2000),
  gid: row('GID failed', 'GID succeeded', 'GID changed', 'GID not changed', 0x100),
  icmp: row('ICMP failed', 'ICMP succeeded', 'ICMP changed', 'ICMP not changed', 0x4000),
  instance: row('Monit instance failed', 'Monit instance succeeded', 'Monit instance changed', 'Monit instance not changed', 0x10000),
  invalid: row('Invalid type', 'Type succeeded', 'Type changed', 'Type not changed', 0x400),
  link: row('Link down', 'Link up', 'Link changed', 'Link not changed', 0x800000),
  nonexist: row('Does not exist', 'Exists', 'Existence changed', 'Existence not changed', 0x200),
  packetin: row('Download packets exceeded', 'Download packets ok', 'Download packets changed', 'Download packets not changed', 0x10000000),
  packetout: row('Upload packets exceeded', 'Upload packets ok', 'Upload packets changed', 'Upload packets not changed', 0x20000000),
  permission: row('Permission failed', 'Permission succeeded', 'Permission changed', 'Permission not changed', 0x40),
  pid: row('PID failed', 'PID succeeded', 'PID changed', 'PID not changed', 0x40000),
  ppid: row('PPID failed', 'PPID succeeded', 'PPID changed', 'PPID not changed', 0x80000),
  resource: row('Resource limit matched', 'Resource limit succeeded', 'Resource limit changed', 'Resource limit not changed', 0x2),
  saturation: row('Saturation exceeded', 'Saturation ok', 'Saturation changed', 'Saturation not changed', 0x2000000),
  size: row('Size failed', 'Size succeeded', 'Size changed', 'Size not changed', 0x10),
  speed: row('Speed failed', 'Speed ok', 'Speed changed', 'Speed not changed', 0x1000000),
  status: row('Status failed', 'Status succeeded', 'Status changed', 'Status not changed', 0x200000),
  timeout: row('Timeout', 'Timeout recovery', 'Timeout changed', 'Timeout not changed', 0x4),
  timestamp: row('Timestamp failed', 'Timestamp succeeded', 'Timestamp changed', 'Timestamp not changed', 0x8),
  uid: row('UID failed', 'UID succeeded', 'UID changed', 'UID not changed', 0x80),
  uptime: row('Uptime failed', 'Uptime succeeded', 'Uptime changed', 'Uptime not changed', 0x400000),
};

function row(failed: string, succeeded: string, changed: string, changednot: string, bit: number): EventTexts {
  return { failed, succeeded, changed, changednot, bit };
}

/**
 * The event classes valid in an alert filter `{ … }` (F1–F30), in the reference's order.
 * The internal heartbeat (F31) is not among them.
 */
export const ALERT_FILTER_CLASSES: readonly EventClass[] = Object.freeze([
  'action', 'checksum', 'bytein', 'byteout', 'connection', 'content', 'data', 'exec', 'exist',
  'fsflags', 'gid', 'icmp', 'instance', 'invalid', 'link', 'nonexist', 'packetin', 'packetout',
  'permission', 'pid', 'ppid', 'resource', 'saturation', 'size', 'speed', 'status', 'timeout',
  'timestamp', 'uid', 'uptime',
] as const);

/** The legacy bit of Monit's internal heartbeat event (F31), for M/Monit messages. */
export const HEARTBEAT_BIT = 0x100000;

/** True when `word` is an event class (alert-filter keyword). */
export function isEventClass(word: string): word is EventClass {
  return Object.hasOwn(EVENT_TABLE, word);
}

/** The `$EVENT` text of an event: `eventText('nonexist', 'failed')` is `Does not exist`. */
export function eventText(cls: EventClass, state: EventState): string {
  return EVENT_TABLE[cls][state];
}

/** The legacy class bit (reference §F hex column), for XML `<status>` and `<event><id>`. */
export function eventBit(cls: EventClass): number {
  return EVENT_TABLE[cls].bit;
}

/** The XML / M/Monit `<state>` number: 0 succeeded, 1 failed, 2 changed, 3 changed-not. */
export function eventStateCode(state: EventState): number {
  switch (state) {
    case 'succeeded': return 0;
    case 'failed': return 1;
    case 'changed': return 2;
    case 'changednot': return 3;
  }
}
