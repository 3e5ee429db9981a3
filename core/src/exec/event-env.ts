/**
 * The environment Monit gives programs it runs for an event (reference V8), under both the
 * `MONIT_` names existing scripts read and warden's own `WARDEN_` names.
 */

/** What is known about the event a program runs for; absent fields are left out. */
export interface EventEnvInfo {
  readonly service: string;
  /** Monit's event text: `Does not exist`, `Status failed`, `Started`. */
  readonly event?: string;
  readonly description?: string;
  /** Milliseconds since the epoch. */
  readonly date?: number;
  /** The `check system` name (Monit's MONIT_HOST), not necessarily the hostname. */
  readonly host?: string;
  readonly pid?: number;
  readonly programStatus?: number;
  /** Variables the service type adds (`PROCESS_MEMORY`, …), named without the prefix. */
  readonly extra?: Readonly<Record<string, string>>;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sun, 22 Nov 2026 08:34:35` in local time, as Monit sets MONIT_DATE. */
export function formatEventDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getDay()]}, ${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/**
 * MONIT_SERVICE, MONIT_EVENT, MONIT_DESCRIPTION, MONIT_DATE, MONIT_HOST, MONIT_PROCESS_PID,
 * MONIT_PROGRAM_STATUS and the same under `WARDEN_`.
 */
export function buildEventEnv(info: EventEnvInfo): Record<string, string> {
  const values: Record<string, string | undefined> = {
    SERVICE: info.service,
    EVENT: info.event,
    DESCRIPTION: info.description,
    DATE: info.date === undefined ? undefined : formatEventDate(info.date),
    HOST: info.host,
    PROCESS_PID: info.pid === undefined ? undefined : String(info.pid),
    PROGRAM_STATUS: info.programStatus === undefined ? undefined : String(info.programStatus),
    ...info.extra,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    env[`MONIT_${key}`] = value;
    env[`WARDEN_${key}`] = value;
  }
  return env;
}
