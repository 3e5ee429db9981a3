/**
 * A process's uptime when `status` asks, not when it was last observed: a resting pidfile check
 * may skip observing (core's batches), and its target keeps the uptime of its last observation.
 */
import { CLOCK_TICKS, readUptime } from './proc.js';

/** How long a reading of /proc/uptime serves, moved on by the monotonic clock meanwhile. */
const READING_MS = 1000;

let reading: { readonly seconds: number; readonly at: number } | undefined;

/** The system's uptime in seconds now: /proc/uptime read at most once a second (thousands of statuses read it). */
export function systemUptime(now: number = performance.now()): number | undefined {
  if (reading === undefined || now - reading.at >= READING_MS || now < reading.at) {
    const seconds = readUptime();
    if (seconds === undefined) return undefined;
    reading = { seconds, at: now };
    return seconds;
  }
  return reading.seconds + (now - reading.at) / 1000;
}

/** Whole seconds a process started at `startTicks` (field 22 of its stat) has run when the system's uptime is `uptime`. */
export function secondsRun(uptime: number, startTicks: number): number {
  return Math.max(0, Math.floor(uptime - startTicks / CLOCK_TICKS));
}

/** Whole seconds process `startTicks` has run now; undefined without /proc/uptime. */
export function processUptime(startTicks: number): number | undefined {
  const uptime = systemUptime();
  return uptime === undefined ? undefined : secondsRun(uptime, startTicks);
}
