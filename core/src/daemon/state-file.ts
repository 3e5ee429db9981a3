import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { ServiceRuntime } from '../engine/service-runtime.js';
import { ruleState } from '../state/rule-engine.js';

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

let boot: { readonly time: number | undefined } | undefined;

/** The machine's boot time from `/proc/stat`, or undefined off Linux; read once. */
export function bootTime(): number | undefined {
  return (boot ??= { time: readBootTime() }).time;
}

function readBootTime(): number | undefined {
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

const MONITORED = Object.freeze({ monitor: 'monitored' as const });
const UNMONITORED = Object.freeze({ monitor: 'not monitored' as const });
const keys = new WeakMap<object, string>();

/** {@link ruleKey}, built once per rule: the state is taken every cycle. */
function keyOf(rule: { readonly describe: string; readonly id: number }): string {
  let key = keys.get(rule);
  if (key === undefined) keys.set(rule, (key = ruleKey(rule)));
  return key;
}

/** The engine's state as saved. */
export function stateOf(engine: Engine, controlFile: string, boot = bootTime()): SavedState {
  const services: Record<string, { monitor: 'monitored' | 'not monitored' }> = {};
  const rules: Record<string, Record<string, SavedRule>> = {};
  let anyRule = false;
  for (const [name, rt] of engine.services) {
    services[name] = rt.status.monitor === 'not monitored' ? UNMONITORED : MONITORED;
    // `?? []`: callers may pass a partial engine (monitoring states only).
    for (const rule of rt.model.rules ?? []) {
      const lastValue = rule.condition.kind === 'changed' && !VOLATILE.has(rule.event) ? rt.ruleStates[rule.id]!.lastValue : undefined;
      const persist = rt.persist[rule.id]!.values;
      const hasPersist = persist !== undefined && hasKeys(persist);
      if (lastValue === undefined && !hasPersist) continue;
      (rules[name] ??= {})[keyOf(rule)] = hasPersist ? (lastValue !== undefined ? { lastValue, persist } : { persist }) : { lastValue };
      anyRule = true;
    }
  }
  return { ...(boot !== undefined ? { boot } : {}), controlFile, services, ...(anyRule ? { rules } : {}) };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/**
 * Tells whether anything the state file keeps moved since it was last asked: a service's
 * {@link ServiceRuntime.stateVersion} or monitoring state, or the engine itself (a reload).
 * Thousands of services checked every second rarely change what is kept; this spares
 * building and serialising the whole state every cycle.
 */
export class StateStamp {
  private engine: Engine | undefined;
  private readonly stamps: number[] = [];

  /** True when something moved (the new stamps are remembered). */
  moved(engine: Engine): boolean {
    let moved = engine !== this.engine;
    let i = 0;
    for (const rt of engine.services.values()) {
      const stamp = rt.stateVersion * 2 + (rt.status.monitor === 'not monitored' ? 1 : 0);
      if (this.stamps[i] !== stamp) {
        this.stamps[i] = stamp;
        moved = true;
      }
      i++;
    }
    if (this.stamps.length !== i) {
      this.stamps.length = i;
      moved = true;
    }
    this.engine = engine;
    return moved;
  }

  /** The next {@link moved} says true (a write failed: try again next cycle). */
  forget(): void {
    this.engine = undefined;
  }
}

/**
 * Write the state (or its JSON text) atomically, a temporary file renamed over the old one;
 * false when it failed.
 */
export function writeStateFile(path: string, state: SavedState | string): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${typeof state === 'string' ? state : JSON.stringify(state)}\n`, { mode: 0o600 });
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
      rt.ruleStates[rule.id] = ruleState(state.status, state.history, value, state.sinceAction, state.message);
    }
    const store = rt.persist[rule.id]!;
    if (kept.persist && typeof kept.persist === 'object' && store.values === undefined) store.values = { ...kept.persist };
  }
}
