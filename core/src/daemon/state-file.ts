import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { ServiceRuntime } from '../engine/service-runtime.js';

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
  /** Per service, per rule (see {@link ruleKey}): what a rule keeps across a restart of warden. */
  readonly rules?: Readonly<Record<string, Readonly<Record<string, SavedRule>>>>;
}

/** What one rule keeps across a restart: the `changed` reference value and its `ctx.persist` values. */
export interface SavedRule {
  readonly lastValue?: number | string;
  readonly persist?: Readonly<Record<string, unknown>>;
}

/**
 * `changed` rules whose reference must not survive a restart: a process gets new ids when it is
 * restarted (warden's own start is no `changed pid`), and `content` counts matches in memory.
 */
const VOLATILE: ReadonlySet<string> = new Set(['pid', 'ppid', 'content']);

/** A rule's key in the `rules` section: its text and its place, so an edited rule starts afresh. */
export function ruleKey(rule: { readonly describe: string; readonly id: number }): string {
  return `${rule.describe}#${rule.id}`;
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
  const rules: Record<string, Record<string, SavedRule>> = {};
  for (const [name, rt] of engine.services) {
    services[name] = { monitor: rt.status.monitor === 'not monitored' ? 'not monitored' : 'monitored' };
    // `?? []`: callers may pass a partial engine (monitoring states only).
    for (const rule of rt.model.rules ?? []) {
      const lastValue = rule.condition.kind === 'changed' && !VOLATILE.has(rule.event) ? rt.ruleStates[rule.id]!.lastValue : undefined;
      const persist = rt.persisted[rule.id]!;
      const hasPersist = Object.keys(persist).length > 0;
      if (lastValue === undefined && !hasPersist) continue;
      (rules[name] ??= {})[ruleKey(rule)] = { ...(lastValue !== undefined ? { lastValue } : {}), ...(hasPersist ? { persist } : {}) };
    }
  }
  return { ...(boot !== undefined ? { boot } : {}), controlFile, services, ...(Object.keys(rules).length > 0 ? { rules } : {}) };
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
    restoreRules(rt, saved?.rules?.[name]);
  }
}

/** Give each rule back what it kept (Monit keeps checksums across restarts), when it never ran here. */
function restoreRules(rt: ServiceRuntime, saved: Readonly<Record<string, SavedRule>> | undefined): void {
  if (saved === undefined || saved === null || typeof saved !== 'object') return;
  for (const rule of rt.model.rules) {
    const kept = saved[ruleKey(rule)];
    if (kept === undefined || kept === null || typeof kept !== 'object') continue;
    const state = rt.ruleStates[rule.id]!;
    const value = kept.lastValue;
    if (rule.condition.kind === 'changed' && !VOLATILE.has(rule.event) && state.lastValue === undefined && (typeof value === 'number' || typeof value === 'string')) {
      rt.ruleStates[rule.id] = { ...state, lastValue: value };
    }
    const persisted = rt.persisted[rule.id]!;
    if (kept.persist && typeof kept.persist === 'object' && Object.keys(persisted).length === 0) Object.assign(persisted, kept.persist);
  }
}
