import type { EventInfo } from '@warden/sdk';
import type { ActionSpec, RuleModel } from '../config/model.js';
import { eventText } from '../events/event-texts.js';
import { buildEventEnv } from '../exec/event-env.js';
import type { StatusStore } from '../status/status-store.js';
import type { PendingEvent } from './check-service.js';
import type { Engine } from './engine.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { EngineDeps } from './types.js';

/** Actions that change what runs; in `mode passive` they are reported as alerts (D18). */
const CONTROL_ACTIONS = new Set(['start', 'stop', 'restart', 'unmonitor', 'monitor', 'timeout']);

/**
 * Runs the actions of a check's events, in rule order: core's control actions through the
 * engine, plugin actions (`exec`) with the event and Monit's environment variables.
 * Alerts are logged and kept in the status store's recent events (mail comes with the
 * mailer plugin).
 */
export class Dispatcher {
  constructor(
    private readonly engine: Engine,
    private readonly deps: EngineDeps,
    private readonly store: StatusStore,
  ) {}

  /** Run every action of the check's events, then the ones Monit repeats while a failure lasts. */
  async dispatch(rt: ServiceRuntime, events: readonly PendingEvent[], ongoing: readonly RuleModel[]): Promise<void> {
    for (const { event } of events) {
      this.store.recordEvent({
        service: rt.model.name, cls: event.cls, state: event.state, text: event.text,
        description: event.description, date: this.deps.clock.now(), actions: event.actions.map((a) => a.name),
      });
      for (const action of event.actions) {
        await this.run(rt, action, { cls: event.cls, state: event.state, text: event.text, description: event.description });
      }
    }
    // Monit re-runs start/restart while the failure lasts, when there is a program to run.
    for (const rule of ongoing) {
      const name = rule.action.name;
      if ((name === 'restart' || name === 'start') && rt.model.start && rt.status.monitor !== 'not monitored') {
        const state = rt.ruleStates[rule.id]!;
        await this.run(rt, rule.action, { cls: rule.event, state: 'failed', text: eventText(rule.event, 'failed'), description: state.message ?? '' });
      }
    }
    await this.checkRestartLimits(rt);
  }

  private async run(
    rt: ServiceRuntime,
    action: ActionSpec,
    ev: { cls: RuleModel['event']; state: EventInfo['state']; text: string; description: string },
  ): Promise<void> {
    const log = this.deps.log.child(rt.model.name);
    const reason = { event: ev.text, description: ev.description };
    const passive = rt.model.mode === 'passive' && CONTROL_ACTIONS.has(action.name) && action.name !== 'unmonitor';
    if (action.name === 'alert' || passive) {
      log.info(`alert: ${ev.text} -- ${ev.description}${passive ? ` (${action.name} not done: passive mode)` : ''}`);
      return;
    }
    switch (action.name) {
      case 'start':
        await this.engine.start(rt, reason);
        return;
      case 'stop':
        await this.engine.stop(rt, reason);
        return;
      case 'restart':
        await this.engine.restart(rt, reason);
        return;
      case 'monitor':
        this.engine.monitor(rt);
        return;
      case 'unmonitor':
      case 'timeout':
        log.info('unmonitor');
        this.engine.unmonitor(rt);
        return;
    }
    const def = action.definition;
    if (!def) {
      log.error(`unknown action '${action.name}'`);
      return;
    }
    const date = this.deps.clock.now();
    const event: EventInfo = { type: ev.cls, state: ev.state, text: ev.text, description: ev.description, service: rt.model.name, date, action: action.name };
    const env = buildEventEnv({ service: rt.model.name, event: ev.text, description: ev.description, date, host: this.deps.hostName });
    try {
      const result = await def.run({
        options: action.options, event, service: { name: rt.model.name, type: rt.model.typeName },
        signal: AbortSignal.timeout(300_000), clock: this.deps.clock, log, spawn: this.deps.spawner, env, settings: this.deps.settings,
      });
      if (result.status === 'failed') log.error(`${action.describe} failed -- ${result.message}`);
      else log.debug(`${action.describe} ${result.status} -- ${result.message}`);
    } catch (err) {
      log.error(`${action.describe} could not run -- ${(err as Error).message}`);
    }
  }

  /** `if N restarts within M cycles then ACTION`: fire when the count in the window reaches N. */
  private async checkRestartLimits(rt: ServiceRuntime): Promise<void> {
    for (const limit of rt.model.restartLimits) {
      const since = this.engine.cycle - limit.rate.cycles;
      const count = rt.restarts.filter((c) => c > since).length;
      if (count >= limit.rate.times) {
        const description = `service restarted ${count} times within ${limit.rate.cycles} cycle(s) - ${limit.action.name}`;
        this.deps.log.child(rt.model.name).error(description);
        this.store.recordEvent({ service: rt.model.name, cls: 'timeout', state: 'failed', text: 'Timeout', description, date: this.deps.clock.now(), actions: [limit.action.name] });
        rt.restarts.length = 0;
        await this.run(rt, limit.action, { cls: 'timeout', state: 'failed', text: 'Timeout', description });
      }
    }
  }
}
