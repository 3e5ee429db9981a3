import type { EventClass, MonitType, Observation } from '@warden/sdk';

/** Monit's monitoring states. */
export type MonitorState = 'monitored' | 'not monitored' | 'initializing';

/** The last verdict of one rule, as status pages show it. */
export interface RuleStatus {
  readonly describe: string;
  /** `ok`, `failed`, `pending` (failing, rate not reached), `error`, `timeout`, `skipped`, `init`. */
  readonly state: 'ok' | 'failed' | 'pending' | 'error' | 'timeout' | 'skipped' | 'init';
  readonly message: string;
  readonly value?: number | string;
  readonly durationMs: number;
}

/** One event as it was emitted, for recent-event lists. */
export interface EventRecord {
  readonly service: string;
  readonly cls: EventClass;
  readonly state: 'failed' | 'succeeded' | 'changed' | 'changednot';
  readonly text: string;
  readonly description: string;
  readonly date: number;
  readonly actions: readonly string[];
}

/** What the status store keeps for one service. */
export interface ServiceStatus {
  readonly name: string;
  readonly type: MonitType;
  monitor: MonitorState;
  mode: string;
  onreboot: string;
  /** `OK` or the failing event's text (`Does not exist`). */
  status: string;
  /** OR of the failing events' legacy bits (XML `<status>`). */
  statusBits: number;
  /** Event classes of the rules failing now (`warden_service_failing`). */
  failingEvents: EventClass[];
  /** Duration of the last check, in milliseconds. */
  lastDurationMs?: number;
  /** Milliseconds since the epoch of the last completed check, if any. */
  lastCheck?: number;
  rules: RuleStatus[];
  observations: Record<string, Observation>;
  readonly groups: readonly string[];
}

const MAX_EVENTS = 200;

/**
 * Each service's last results and state. The HTTP interface, the CLI, the state file and
 * `/metrics` read from here, never from probes.
 */
export class StatusStore {
  private readonly services = new Map<string, ServiceStatus>();
  private readonly recent: EventRecord[] = [];
  readonly startedAt = Date.now();
  lastCycle?: { readonly started: number; readonly durationMs: number };

  /** Replace the service list (start-up and reload), keeping nothing of services that went away. */
  reset(services: ServiceStatus[]): void {
    this.services.clear();
    for (const s of services) this.services.set(s.name, s);
  }

  get(name: string): ServiceStatus | undefined {
    return this.services.get(name);
  }

  /** All services in declaration order. */
  all(): ServiceStatus[] {
    return [...this.services.values()];
  }

  recordEvent(event: EventRecord): void {
    this.recent.push(event);
    if (this.recent.length > MAX_EVENTS) this.recent.splice(0, this.recent.length - MAX_EVENTS);
  }

  /** The most recent events, newest last, optionally for one service. */
  events(service?: string): EventRecord[] {
    return service ? this.recent.filter((e) => e.service === service) : [...this.recent];
  }
}
