import type { ServiceStatus } from '../status/status-store.js';
import { formatDate, formatUptime, monitorText, statusText, TYPE_NAMES } from './format.js';
import { observationLines } from './status-lines.js';

const KEY_WIDTH = 29;

function line(key: string, value: string): string {
  const [first, ...rest] = value.split('\n');
  const pad = ' '.repeat(2 + KEY_WIDTH);
  return [`  ${key.padEnd(KEY_WIDTH)}${first}`, ...rest.map((r) => `${pad}${r}`)].join('\n');
}

/** `warden 0.1.0 uptime: 0m`: the first line of status, summary and validate. */
export function header(version: string, uptimeSeconds: number): string {
  return `warden ${version} uptime: ${formatUptime(uptimeSeconds)}`;
}

/** One service block of `warden status`, in Monit's layout (reference monit-behaviour §2). */
export function serviceBlock(s: ServiceStatus): string {
  const lines = [
    `${TYPE_NAMES[s.type]} '${s.name}'`,
    line('status', statusText(s)),
    line('monitoring status', monitorText(s)),
    line('monitoring mode', s.mode),
    line('on reboot', s.onreboot),
  ];
  for (const [label, value] of observationLines(s)) lines.push(line(label, value));
  if (s.lastCheck !== undefined) lines.push(line('data collected', formatDate(s.lastCheck)));
  return lines.join('\n');
}

/** The whole `status` text: header, a blank line, then each service followed by a blank line. */
export function statusTextReport(version: string, uptimeSeconds: number, services: readonly ServiceStatus[]): string {
  return `${header(version, uptimeSeconds)}\n\n${services.map((s) => `${serviceBlock(s)}\n\n`).join('')}`;
}

/** `summary`: the system service first, then the others in declaration order (reference G19). */
export function summaryText(version: string, uptimeSeconds: number, services: readonly ServiceStatus[]): string {
  const ordered = [...services.filter((s) => s.type === 'system'), ...services.filter((s) => s.type !== 'system')];
  const row = (a: string, b: string, c: string) => ` ${a.padEnd(33)}${b.padEnd(28)}${c.padEnd(14)}`;
  return [header(version, uptimeSeconds), row('Service Name', 'Status', 'Type'), ...ordered.map((s) => row(s.name, statusText(s), TYPE_NAMES[s.type]))].join('\n') + '\n';
}

/** Counts for `report` (reference G20). */
export function reportCounts(services: readonly ServiceStatus[]): Record<'up' | 'down' | 'initialising' | 'unmonitored' | 'total', number> {
  const counts = { up: 0, down: 0, initialising: 0, unmonitored: 0, total: services.length };
  for (const s of services) {
    if (s.monitor === 'not monitored') counts.unmonitored++;
    else if (s.monitor === 'initializing' && s.lastCheck === undefined) counts.initialising++;
    else if (s.status === 'OK') counts.up++;
    else counts.down++;
  }
  return counts;
}

/** `report [up|down|failed|initialising|unmonitored|total]`: the table, or one number. */
export function reportText(services: readonly ServiceStatus[], type?: string): string {
  const c = reportCounts(services);
  const key = type === 'failed' ? 'down' : type;
  if (key && key in c) return `${c[key as keyof typeof c]}\n`;
  const pct = (n: number) => `${n} (${c.total ? ((n * 100) / c.total).toFixed(1) : '0.0'}%)`;
  return [
    `${'up:'.padEnd(16)}${pct(c.up)}`,
    `${'down:'.padEnd(16)}${pct(c.down)}`,
    `${'initialising:'.padEnd(16)}${pct(c.initialising)}`,
    `${'unmonitored:'.padEnd(16)}${pct(c.unmonitored)}`,
    `${'total:'.padEnd(16)}${c.total} services`,
  ].join('\n') + '\n';
}
