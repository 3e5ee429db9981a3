import type { MonitType } from '@warden/sdk';
import type { ServiceStatus } from '../status/status-store.js';

/** Monit's type names in status output. */
export const TYPE_NAMES: Readonly<Record<MonitType, string>> = {
  process: 'Process', file: 'File', fifo: 'Fifo', directory: 'Directory', filesystem: 'Filesystem',
  host: 'Remote Host', system: 'System', program: 'Program', network: 'Network', job: 'Job',
};

/** Monit's XML service type codes (reference H21); jobs report as processes. */
export const XML_TYPES: Readonly<Record<MonitType, number>> = {
  filesystem: 0, directory: 1, file: 2, process: 3, host: 4, system: 5, fifo: 6, program: 7, network: 8, job: 3,
};

/** `Monitored`, `Not monitored`, `Initializing` as Monit prints them. */
export function monitorText(s: ServiceStatus): string {
  return s.monitor === 'monitored' ? 'Monitored' : s.monitor === 'not monitored' ? 'Not monitored' : 'Initializing';
}

/** The status column: `Not monitored` wins over the last check's verdict. */
export function statusText(s: ServiceStatus): string {
  if (s.monitor === 'not monitored') return 'Not monitored';
  if (s.monitor === 'initializing' && s.lastCheck === undefined) return 'Initializing';
  return s.status;
}

/** Monit's uptime format: `0m`, `3h 12m`, `2d 4h 1m`. */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m`;
}

/** RFC 822 without the zone, as Monit's `data collected` (`Sun, 22 Nov 2026 08:33:45`). */
export function formatDate(ms: number): string {
  return new Date(ms).toUTCString().replace(/ GMT$/, '');
}

/** `exitStatus` → `exit status`, for observation keys in text status. */
export function observationLabel(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
