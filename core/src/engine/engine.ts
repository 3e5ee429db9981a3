import type { ControlModel, ProgramSpec } from '../config/model.js';
import { buildEventEnv } from '../exec/event-env.js';
import { initialRuleState } from '../state/rule-engine.js';
import type { StatusStore } from '../status/status-store.js';
import { runTimed } from './runner.js';
import { createCycle } from './scheduler.js';
import { createRuntime, type ServiceRuntime } from './service-runtime.js';
import { DEFAULT_METHOD_TIMEOUT_MS, type EngineDeps } from './types.js';

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
  /** Services whose start/stop/restart program is running or being waited for, with a count. */
  private readonly acting = new Map<string, number>();
  /** Services whose state the next configuration adopted: `dispose` leaves them alone. */
  private readonly adopted = new Set<string>();

  constructor(
    readonly model: ControlModel,
    private readonly deps: EngineDeps,
    private readonly store: StatusStore,
    previous?: Engine,
  ) {
    for (const s of model.services) {
      const before = previous?.services.get(s.name);
      const rt = createRuntime(s, before);
      if (before && before.typeState !== undefined && rt.typeState === before.typeState) previous!.adopted.add(s.name);
      this.services.set(s.name, rt);
    }
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
  async start(rt: ServiceRuntime): Promise<boolean> {
    for (const dep of rt.model.depends) {
      const d = this.services.get(dep);
      if (d && d.status.monitor === 'not monitored') await this.start(d);
    }
    const ok = await this.runMethod(rt, 'start', rt.model.start);
    this.monitor(rt);
    return ok;
  }

  /** Stop dependants first, run the stop program, and unmonitor. */
  async stop(rt: ServiceRuntime): Promise<boolean> {
    await this.stopDependants(rt, true);
    const ok = await this.runMethod(rt, 'stop', rt.model.stop);
    this.setMonitor(rt, 'not monitored');
    return ok;
  }

  /**
   * Monit's restart (E2, R9): stop the dependants, run the restart program (or the stop
   * program and, only when it succeeded, the start program), then start the dependants again.
   */
  async restart(rt: ServiceRuntime): Promise<boolean> {
    this.deps.log.child(rt.model.name).info('trying to restart');
    rt.restarts.push(this.cycle);
    const stopped = await this.stopDependants(rt, false);
    let ok: boolean;
    if (rt.model.restart) ok = await this.runMethod(rt, 'restart', rt.model.restart);
    else ok = (await this.runMethod(rt, 'stop', rt.model.stop)) && (await this.runMethod(rt, 'start', rt.model.start));
    this.monitor(rt);
    // Nearest first: a dependant starts after what it depends on.
    for (const d of stopped.reverse()) await this.runMethod(d, 'start', d.model.start);
    return ok;
  }

  /** Run the stop programs of the monitored dependants, farthest first; the ones stopped. */
  private async stopDependants(rt: ServiceRuntime, unmonitor: boolean): Promise<ServiceRuntime[]> {
    const stopped: ServiceRuntime[] = [];
    for (const name of this.dependants(rt.model.name)) {
      const d = this.services.get(name)!;
      if (d.status.monitor === 'not monitored') continue;
      await this.runMethod(d, 'stop', d.model.stop);
      if (unmonitor) this.setMonitor(d, 'not monitored');
      stopped.push(d);
    }
    return stopped;
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

  /** True while a start, stop or restart of the service is under way (checks between cycles wait). */
  isActing(name: string): boolean {
    // Asked for every service every cycle: an empty map answers without hashing the name.
    return this.acting.size > 0 && (this.acting.get(name) ?? 0) > 0;
  }

  /**
   * Run a method. For a service type that says whether its object runs (a process), as Monit
   * does: `start` is skipped when it runs and `stop` when it does not; after the program, wait
   * (polling `observe` every 100 ms, within the method's timeout) until it runs (start,
   * restart) or is gone (stop), else `Execution failed`.
   */
  private async runMethod(rt: ServiceRuntime, which: 'start' | 'stop' | 'restart', spec: ProgramSpec | undefined): Promise<boolean> {
    const name = rt.model.name;
    this.acting.set(name, (this.acting.get(name) ?? 0) + 1);
    try {
      const running = rt.model.definition.running;
      if (!running || !spec) return await this.runProgram(rt, which, spec);
      const before = await this.observeNow(rt);
      if (before !== undefined && running(before) === (which !== 'stop') && which !== 'restart') return true;
      if (!(await this.runProgram(rt, which, spec))) return false;
      const timeoutMs = spec.timeoutMs ?? DEFAULT_METHOD_TIMEOUT_MS;
      const deadline = this.deps.clock.monotonic() + timeoutMs;
      for (let i = 0; i < 100_000; i++) {
        const seen = await this.observeNow(rt);
        if (seen !== undefined && running(seen) === (which !== 'stop')) {
          if (which !== 'stop') this.forgetIds(rt);
          return true;
        }
        if (this.deps.clock.monotonic() >= deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const description = which === 'stop' ? `failed to stop -- still running after ${timeoutMs / 1000} s` : `failed to ${which} -- not running after ${timeoutMs / 1000} s`;
      this.deps.log.child(name).error(description);
      this.store.recordEvent({ service: name, cls: 'exec', state: 'failed', text: 'Execution failed', description, date: this.deps.clock.now(), actions: ['alert'] });
      return false;
    } finally {
      const left = (this.acting.get(name) ?? 1) - 1;
      if (left > 0) this.acting.set(name, left);
      else this.acting.delete(name);
    }
  }

  /** Observe the service outside a cycle; undefined when observing failed. */
  private async observeNow(rt: ServiceRuntime): Promise<unknown> {
    const observe = rt.model.definition.observe;
    if (!observe) return undefined;
    const { model } = rt;
    const log = this.deps.log.child(model.name);
    const r = await runTimed(
      (signal, deadline) => observe({ options: model.target, service: { name: model.name, type: model.typeName }, signal, deadline, clock: this.deps.clock, log, spawn: this.deps.spawner, stat: this.deps.stat, state: rt.typeState, cycle: createCycle(this.cycle), settings: this.deps.settings }),
      5000,
      this.deps.clock,
    );
    if (r.kind !== 'value') return undefined;
    rt.lastTarget = r.value;
    rt.targetKept = false;
    return r.value;
  }

  /** warden's own start is no `changed pid`/`changed ppid` (reference C3): forget the last ids. */
  private forgetIds(rt: ServiceRuntime): void {
    for (const rule of rt.model.rules) {
      if (rule.condition.kind !== 'changed' || (rule.event !== 'pid' && rule.event !== 'ppid')) continue;
      rt.ruleStates[rule.id] = initialRuleState();
      const scratch = rt.scratch[rule.id]!;
      for (const key of Object.keys(scratch)) delete scratch[key];
    }
  }

  /** Run a start/stop/restart program through the spawn facility; false when it failed. */
  private async runProgram(rt: ServiceRuntime, which: 'start' | 'stop' | 'restart', spec: ProgramSpec | undefined): Promise<boolean> {
    const log = this.deps.log.child(rt.model.name);
    if (!spec) {
      log.debug(`no ${which} program defined`);
      return true;
    }
    log.info(`${which}: '${spec.command}'`);
    // Monit gives a method its own event, whatever triggered it (observed: a rule's restart
    // runs the start program with MONIT_EVENT=Started).
    const env = buildEventEnv({
      service: rt.model.name,
      event: METHOD_EVENT[which],
      description: METHOD_EVENT[which],
      date: this.deps.clock.now(),
      host: this.deps.hostName,
      extra: this.environment(rt),
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
    log.debug(which === 'stop' ? 'stopped' : 'started');
    return true;
  }

  /** The service type's variables for programs (`MONIT_PROCESS_PID`, …), from the last observation. */
  environment(rt: ServiceRuntime): Readonly<Record<string, string>> | undefined {
    return rt.model.definition.environment?.(rt.lastTarget, rt.status.observations);
  }

  /** Release what service types hold (running programs). */
  async dispose(): Promise<void> {
    for (const rt of this.services.values()) {
      if (this.adopted.has(rt.model.name)) continue;
      const dispose = rt.model.definition.dispose;
      if (dispose) await dispose(rt.typeState, this.deps.log.child(rt.model.name));
    }
  }
}

/** `MONIT_EVENT` and `MONIT_DESCRIPTION` for a method program. */
const METHOD_EVENT = { start: 'Started', stop: 'Stopped', restart: 'Restarted' } as const;
