import type { EventInfo } from '@warden/sdk';
import type { AlertRouter } from '../alerts/alert-router.js';
import type { ActionSpec, RuleModel } from '../config/model.js';
import { eventText } from '../events/event-texts.js';
import { buildEventEnv } from '../exec/event-env.js';
import type { StatusStore } from '../status/status-store.js';
import type { PendingEvent } from './check-service.js';
import type { Engine } from './engine.js';
import type { ServiceRuntime } from './service-runtime.js';
import type { EngineDeps } from './types.js';

/** The event an action runs for. */
type ActionEvent = { readonly cls: RuleModel['event']; readonly state: EventInfo['state']; readonly text: string; readonly description: string };

/** Actions that change what runs; in `mode passive` they are reported as alerts (D18). */
const PASSIVE_ALERTS = new Set(['start', 'stop', 'restart']);

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
    /** Where events go as alerts (mail, Alertmanager, webhook); never awaited. */
    private readonly alerts?: AlertRouter,
  ) {}

  /** Run every action of the check's events, then the ones Monit repeats while a failure lasts. */
  async dispatch(rt: ServiceRuntime, events: readonly PendingEvent[], ongoing: readonly RuleModel[]): Promise<void> {
    const metrics = this.deps.metricsFor(rt.model.name, rt.model.monitType);
    for (const { rule, event } of events) {
      metrics.inc('warden_events_total', 1, { event: event.cls, state: event.state });
      // Monit alerts on every state change, whatever the rule's action (reference §7).
      this.alerts?.event(rt.model, this.eventInfo(rt, event, event.actions[0]?.name ?? 'alert'), String(rule.id));
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
      const failing = { cls: rule.event, state: 'failed' as const, text: eventText(rule.event, 'failed'), description: rt.ruleStates[rule.id]!.message ?? '' };
      this.alerts?.ongoing(rt.model, this.eventInfo(rt, failing, name), String(rule.id));
      if ((name === 'restart' || name === 'start') && rt.model.start && rt.status.monitor !== 'not monitored') {
        const state = rt.ruleStates[rule.id]!;
        await this.run(rt, rule.action, { cls: rule.event, state: 'failed', text: eventText(rule.event, 'failed'), description: state.message ?? '' });
      }
    }
    await this.checkRestartLimits(rt);
  }

  private eventInfo(rt: ServiceRuntime, ev: ActionEvent, action: string): EventInfo {
    return { type: ev.cls, state: ev.state, text: ev.text, description: ev.description, service: rt.model.name, date: this.deps.clock.now(), action };
  }

  /** Run one action and count it in `warden_actions_total{action,result}`. */
  private async run(rt: ServiceRuntime, action: ActionSpec, ev: ActionEvent): Promise<void> {
    const result = await this.perform(rt, action, ev);
    this.deps.metricsFor(rt.model.name, rt.model.monitType).inc('warden_actions_total', 1, { action: action.name, result });
  }

  private async perform(rt: ServiceRuntime, action: ActionSpec, ev: ActionEvent): Promise<'done' | 'failed' | 'skipped'> {
    const log = this.deps.log.child(rt.model.name);
    const passive = rt.model.mode === 'passive' && PASSIVE_ALERTS.has(action.name);
    if (action.name === 'alert' || passive) {
      log.info(`alert: ${ev.text} -- ${ev.description}${passive ? ` (${action.name} not done: passive mode)` : ''}`);
      return passive ? 'skipped' : 'done';
    }
    // A check that began before a user action ended meanwhile: its verdict is stale.
    if ((action.name === 'start' || action.name === 'restart') && (rt.status.monitor === 'not monitored' || this.engine.isActing(rt.model.name))) {
      log.debug(`${action.name} not done: the service was stopped or is being acted on`);
      return 'skipped';
    }
    switch (action.name) {
      case 'start':
        return (await this.engine.start(rt)) ? 'done' : 'failed';
      case 'stop':
        return (await this.engine.stop(rt)) ? 'done' : 'failed';
      case 'restart':
        return (await this.engine.restart(rt)) ? 'done' : 'failed';
      case 'monitor':
        this.engine.monitor(rt);
        return 'done';
      case 'unmonitor':
      case 'timeout':
        log.info('unmonitor');
        this.engine.unmonitor(rt);
        return 'done';
    }
    const def = action.definition;
    if (!def) {
      log.error(`unknown action '${action.name}'`);
      return 'failed';
    }
    const date = this.deps.clock.now();
    const event: EventInfo = { type: ev.cls, state: ev.state, text: ev.text, description: ev.description, service: rt.model.name, date, action: action.name };
    const env = buildEventEnv({ service: rt.model.name, event: ev.text, description: ev.description, date, host: this.deps.hostName, extra: this.engine.environment(rt) });
    try {
      const result = await def.run({
        options: action.options, event, service: { name: rt.model.name, type: rt.model.typeName },
        signal: AbortSignal.timeout(300_000), clock: this.deps.clock, log, spawn: this.deps.spawner, env, settings: this.deps.settings,
      });
      if (result.status === 'failed') log.error(`${action.describe} failed -- ${result.message}`);
      else log.debug(`${action.describe} ${result.status} -- ${result.message}`);
      return result.status;
    } catch (err) {
      log.error(`${action.describe} could not run -- ${(err as Error).message}`);
      return 'failed';
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
