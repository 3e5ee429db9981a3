/**
 * Monit's log line (reference R20, behaviour §4):
 * `[2026-11-22T08:33:34+0000] error    : 'dummy' process is not running`.
 */

/** The levels warden logs at, most severe first. */
export type Level = 'error' | 'warning' | 'info' | 'debug';

/** Every level, most severe first. */
export const LEVELS: readonly Level[] = ['error', 'warning', 'info', 'debug'];

/** `2026-11-22T08:33:34+0000`: local time, numeric offset without a colon, no fraction. */
export function formatTimestamp(date: Date): string {
  // getTimezoneOffset is minutes *behind* UTC, so east of Greenwich it is negative.
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** One log line without its newline: `[time] level    : message`. */
export function formatLine(date: Date, level: Level, message: string): string {
  return `[${formatTimestamp(date)}] ${level.padEnd(8)} : ${message}`;
}

/**
 * One JSON object per line for log shippers: `{"time","level","service","message"}`;
 * `service` is left out for daemon-wide messages, and `message` carries no `'name'` prefix.
 */
export function formatJsonLine(date: Date, level: Level, message: string, service?: string): string {
  const record: Record<string, string> = { time: formatTimestamp(date), level };
  if (service !== undefined) record.service = service;
  record.message = message;
  return JSON.stringify(record);
}

/** A service message as Monit writes it: `'nginx' message`. */
export function prefixService(service: string | undefined, message: string): string {
  return service === undefined ? message : `'${service}' ${message}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
