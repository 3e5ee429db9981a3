import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';

/** Monit's `~/.monit.state` (reference A10); warden's is `~/.warden.state`. */
export function defaultStateFile(): string {
  return join(homedir(), '.warden.state');
}

/** What the state file keeps: the machine's boot time and each service's monitoring state. */
export interface SavedState {
  /** Boot time (epoch seconds, `btime` of `/proc/stat`): tells a reboot from a restart of warden. */
  readonly boot?: number;
  /** The control file it was written for: another configuration's states are not taken. */
  readonly controlFile?: string;
  readonly services: Readonly<Record<string, { readonly monitor: 'monitored' | 'not monitored' }>>;
}

/** The machine's boot time from `/proc/stat`, or undefined off Linux. */
export function bootTime(): number | undefined {
  try {
    const m = /^btime\s+(\d+)/m.exec(readFileSync('/proc/stat', 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The saved state, or undefined when there is none or it cannot be read. */
export function readStateFile(path: string): SavedState | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as SavedState;
    return parsed && typeof parsed.services === 'object' && parsed.services !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The engine's state as saved. */
export function stateOf(engine: Engine, controlFile: string, boot = bootTime()): SavedState {
  const services: Record<string, { monitor: 'monitored' | 'not monitored' }> = {};
  for (const [name, rt] of engine.services) services[name] = { monitor: rt.status.monitor === 'not monitored' ? 'not monitored' : 'monitored' };
  return { ...(boot !== undefined ? { boot } : {}), controlFile, services };
}

/** Write the state atomically (a temporary file renamed over the old one); false when it failed. */
export function writeStateFile(path: string, state: SavedState): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    renameSync(tmp, path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Set each service's monitoring state at start-up (Monit D19, D20). After a restart of warden
 * on the same boot every service gets its saved state back; after a reboot (or with no saved
 * state) `onreboot start` monitors, `nostart` leaves the service unmonitored and `laststate`
 * restores the saved state. A state saved for another control file counts as none.
 */
export function applySavedState(engine: Engine, found: SavedState | undefined, controlFile: string, boot = bootTime()): void {
  const saved = found?.controlFile === controlFile ? found : undefined;
  const sameBoot = saved?.boot !== undefined && saved.boot === boot;
  for (const [name, rt] of engine.services) {
    const last = saved?.services[name]?.monitor;
    const policy = rt.model.onreboot;
    const unmonitor = last !== undefined && (sameBoot || policy === 'laststate') ? last === 'not monitored' : policy === 'nostart';
    if (unmonitor) {
      rt.status.monitor = 'not monitored';
      rt.status.status = 'Not monitored';
    }
  }
}
