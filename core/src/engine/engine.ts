import type { ControlModel, ProgramSpec } from '../config/model.js';
import { buildEventEnv } from '../exec/event-env.js';
import type { StatusStore } from '../status/status-store.js';
import { createRuntime, type ServiceRuntime } from './service-runtime.js';
import { DEFAULT_METHOD_TIMEOUT_MS, type EngineDeps } from './types.js';

/** Why a control action runs: a rule's event, or a user's request. */
export interface ActionReason {
  readonly event?: string;
  readonly description?: string;
}

/**
 * The running services and what can be done to them: start, stop, restart, monitor and
 * unmonitor, honouring `depends on` (prerequisites first; dependants stopped and unmonitored
 * first, reference R9) and the monitoring state.
 */
export class Engine {
  readonly services = new Map<string, ServiceRuntime>();
  /** Services in dependency order: every service after the ones it depends on. */
  readonly order: ServiceRuntime[] = [];
  cycle = 0;

  constructor(
    readonly model: ControlModel,
    private readonly deps: EngineDeps,
    private readonly store: StatusStore,
  ) {
    for (const s of model.services) this.services.set(s.name, createRuntime(s));
    const seen = new Set<string>();
    const visit = (rt: ServiceRuntime) => {
      if (seen.has(rt.model.name)) return;
      seen.add(rt.model.name);
      for (const dep of rt.model.depends) {
        const d = this.services.get(dep);
        if (d) visit(d);
      }
      this.order.push(rt);
    };
    for (const rt of this.services.values()) visit(rt);
    store.reset([...this.services.values()].map((rt) => rt.status));
  }

  /** Names of the services that depend on `name`, directly or not, nearest last. */
  dependants(name: string): string[] {
    const out: string[] = [];
    const walk = (n: string) => {
      for (const rt of this.services.values()) {
        if (rt.model.depends.includes(n) && !out.includes(rt.model.name)) {
          walk(rt.model.name);
          out.push(rt.model.name);
        }
      }
    };
    walk(name);
    return out;
  }

  /** Run the service's start program (prerequisites first) and monitor it. */
  async start(rt: ServiceRuntime, reason: ActionReason = {}): Promise<boolean> {
    for (const dep of rt.model.depends) {
      const d = this.services.get(dep);
      if (d && d.status.monitor === 'not monitored') await this.start(d, reason);
    }
    const ok = await this.runMethod(rt, 'start', rt.model.start, reason);
    this.monitor(rt);
    return ok;
  }

  /** Stop dependants first, run the stop program, and unmonitor. */
  async stop(rt: ServiceRuntime, reason: ActionReason = {}): Promise<boolean> {
    for (const name of this.dependants(rt.model.name)) {
      const d = this.services.get(name)!;
      if (d.status.monitor !== 'not monitored') {
        await this.runMethod(d, 'stop', d.model.stop, reason);
        this.setMonitor(d, 'not monitored');
      }
    }
    const ok = await this.runMethod(rt, 'stop', rt.model.stop, reason);
    this.setMonitor(rt, 'not monitored');
    return ok;
  }

  /** The restart program, or stop then start (Monit E2). */
  async restart(rt: ServiceRuntime, reason: ActionReason = {}): Promise<boolean> {
    this.deps.log.child(rt.model.name).info('trying to restart');
    rt.restarts.push(this.cycle);
    if (rt.model.restart) return this.runMethod(rt, 'restart', rt.model.restart, reason);
    if (rt.model.stop) await this.runMethod(rt, 'stop', rt.model.stop, reason);
    return this.runMethod(rt, 'start', rt.model.start, reason);
  }

  /** Monitor the service and what it depends on (not its dependants: reference §6). */
  monitor(rt: ServiceRuntime): void {
    for (const dep of rt.model.depends) {
      const d = this.services.get(dep);
      if (d && d.status.monitor === 'not monitored') this.monitor(d);
    }
    if (rt.status.monitor === 'not monitored') this.setMonitor(rt, 'initializing');
  }

  /** Stop monitoring the service and, first, everything that depends on it. */
  unmonitor(rt: ServiceRuntime): void {
    for (const name of this.dependants(rt.model.name)) this.setMonitor(this.services.get(name)!, 'not monitored');
    this.setMonitor(rt, 'not monitored');
  }

  private setMonitor(rt: ServiceRuntime, state: 'not monitored' | 'initializing'): void {
    rt.status.monitor = state;
    if (state === 'not monitored') rt.status.status = 'Not monitored';
  }

  /** Run a start/stop/restart program through the spawn facility; false when it failed. */
  private async runMethod(rt: ServiceRuntime, which: string, spec: ProgramSpec | undefined, reason: ActionReason): Promise<boolean> {
    const log = this.deps.log.child(rt.model.name);
    if (!spec) {
      log.debug(`no ${which} program defined`);
      return true;
    }
    log.info(`${which}: '${spec.command}'`);
    const env = buildEventEnv({
      service: rt.model.name,
      event: reason.event ?? METHOD_EVENT[which] ?? which,
      description: reason.description ?? METHOD_EVENT[which] ?? which,
      date: this.deps.clock.now(),
      host: this.deps.hostName,
    });
    const result = await this.deps.spawner.run({
      argv: spec.argv,
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
      env,
      timeoutMs: spec.timeoutMs ?? DEFAULT_METHOD_TIMEOUT_MS,
    });
    if (result.spawnError || result.timedOut || result.status !== 0) {
      const why = result.spawnError ?? (result.timedOut ? `timed out after ${(spec.timeoutMs ?? DEFAULT_METHOD_TIMEOUT_MS) / 1000} s` : `exit status ${result.status ?? result.signal}`);
      const output = result.output.trim().split('\n')[0];
      log.error(`failed to ${which} -- ${why}${output ? ` -- ${output}` : ''}`);
      this.store.recordEvent({
        service: rt.model.name, cls: 'exec', state: 'failed', text: 'Execution failed',
        description: `failed to ${which} -- ${why}`, date: this.deps.clock.now(), actions: ['alert'],
      });
      return false;
    }
    log.debug(`${which} program done`);
    return true;
  }

  /** Release what service types hold (running programs). */
  async dispose(): Promise<void> {
    for (const rt of this.services.values()) {
      const dispose = rt.model.definition.dispose;
      if (dispose) await dispose(rt.typeState, this.deps.log.child(rt.model.name));
    }
  }
}

/** `MONIT_EVENT` for a method run on user request (Monit sets `Started` for a start). */
const METHOD_EVENT: Readonly<Record<string, string>> = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };
