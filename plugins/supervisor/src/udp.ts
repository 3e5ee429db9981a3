/** A `udp://HOST:PORT[@IFACE]` address of `report to` / `listen on`. */
export interface UdpEndpoint {
  readonly host: string;
  readonly port: number;
  readonly iface?: string;
}

/** pmtr's words for a bad address. */
export const UDP_FORMAT = 'required format: udp://1.2.3.4:5678[@eth2]';

/** Parse `udp://HOST:PORT[@IFACE]`; undefined when it is not one. */
export function parseUdpUrl(text: string): UdpEndpoint | undefined {
  const m = /^udp:\/\/([^:@/]+)(?::(\d+))?(?:@(\S+))?$/.exec(text);
  if (!m) return undefined;
  // pmtr reads `udp://127.0.0.1` (no port) as port 0.
  const port = m[2] === undefined ? 0 : Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1]!, port, ...(m[3] ? { iface: m[3] } : {}) };
}

/** One job as the report shows it. */
export interface ReportLine {
  readonly name: string;
  readonly disabled: boolean;
  /** False for jobs that will never run again (exit 33, a `once` job that ran). */
  readonly shown: boolean;
  readonly startedAt: number | undefined;
  readonly pid: number | undefined;
  readonly argv0: string | undefined;
}

/**
 * pmtr's report datagram: `report HOST[ IFACE-IP]\n` then `NAME e|d ELAPSED PID ARGV0\n`
 * per job, in start order. ELAPSED counts from the last start (from the epoch for a job
 * never started, as pmtr prints it); PID is 0 when not running.
 */
export function formatReport(header: string, jobs: readonly ReportLine[], now: number): string {
  const lines = [header];
  for (const j of jobs) {
    if (!j.shown) continue;
    const elapsed = Math.floor((now - (j.startedAt ?? 0)) / 1000);
    lines.push(`${j.name} ${j.disabled ? 'd' : 'e'} ${elapsed} ${j.pid ?? 0} ${j.argv0 ?? '(null)'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One action of a control datagram. */
export interface ControlAction {
  readonly verb: 'enable' | 'disable';
  readonly name: string;
}

/**
 * `enable A B disable C`: words split by spaces; a verb switches the mode for the names
 * after it. Undefined when the first word is not a verb (`invalid control msg`). Unlike
 * pmtr, a trailing newline (`echo … | nc -u`) is dropped instead of becoming part of the name.
 */
export function parseControl(text: string): ControlAction[] | undefined {
  const words = text.replace(/[\r\n]+$/, '').split(' ').filter((w) => w !== '');
  let verb: ControlAction['verb'] | undefined;
  const out: ControlAction[] = [];
  for (const w of words) {
    if (w === 'enable' || w === 'disable') verb = w;
    else if (verb === undefined) return undefined;
    else out.push({ verb, name: w });
  }
  return verb === undefined ? undefined : out;
}
