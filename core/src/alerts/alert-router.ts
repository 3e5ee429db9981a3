import type { AlertMessage, Clock, EventClass, EventInfo, NotifierDefinition } from '@warden/sdk';
import type { AlertRecipient } from '../config/model.js';

/** What the router needs of a service: its name and its own recipients. */
export interface AlertingService {
  readonly name: string;
  readonly alerts: readonly AlertRecipient[];
  readonly noalerts: readonly string[];
}

/** Where routed alerts go (the delivery queue); never awaited by the caller. */
export interface AlertSubmitter {
  submit(messages: readonly AlertMessage[]): void;
}

/** What the router is built from: one configuration's recipients and notifiers. */
export interface AlertRouterOptions {
  /** Global `set alert` recipients. */
  readonly globals: readonly AlertRecipient[];
  readonly notifiers: readonly NotifierDefinition[];
  readonly settings: Readonly<Record<string, unknown>>;
  /** `$HOST`. */
  readonly host: string;
  readonly clock: Clock;
  readonly delivery: AlertSubmitter;
}

/**
 * Turns events into alert messages, Monit's way: every state change goes to every
 * recipient whose filter accepts its class (a service's `alert ADDR` overrides a global
 * one for the same address, `noalert` removes one), once per recipient; while a failure
 * lasts, recipients with `reminder N` get it again every N cycles. Notifiers that are not
 * per recipient (Alertmanager, webhook) get each state change once.
 */
export class AlertRouter {
  private seq = 0;
  /** Failing cycles since the event, by `service#rule`, for reminders. */
  private readonly failing = new Map<string, number>();

  constructor(private readonly options: AlertRouterOptions) {}

  /** A state change (failed, succeeded, changed) of a service's rule, or an instance event. */
  event(service: AlertingService, event: EventInfo, ruleKey?: string): void {
    if (ruleKey !== undefined) {
      const key = `${service.name}#${ruleKey}`;
      // A failed event while already failing is an action's `repeat`, not a state change.
      if (event.state === 'failed' && this.failing.has(key)) return this.ongoing(service, event, ruleKey);
      if (event.state === 'failed') this.failing.set(key, 0);
      else this.failing.delete(key);
    }
    this.options.delivery.submit(this.messages(service, event, false));
  }

  /** A cycle in which a rule is still failing with no new event: reminders fall due here. */
  ongoing(service: AlertingService, event: EventInfo, ruleKey: string): void {
    const key = `${service.name}#${ruleKey}`;
    const cycles = (this.failing.get(key) ?? 0) + 1;
    this.failing.set(key, cycles);
    const due = this.messages(service, event, true).filter((m) => {
      const reminder = this.recipients(service).find((r) => r.address === m.recipient?.address)?.reminder;
      return reminder !== undefined && reminder > 0 && cycles % reminder === 0;
    });
    if (due.length > 0) this.options.delivery.submit(due);
  }

  /** The effective recipients of a service: globals overridden by its own, minus `noalert`. */
  recipients(service: AlertingService): AlertRecipient[] {
    const own = new Set(service.alerts.map((r) => r.address.toLowerCase()));
    const removed = new Set(service.noalerts.map((a) => a.toLowerCase()));
    return [...this.options.globals.filter((r) => !own.has(r.address.toLowerCase())), ...service.alerts]
      .filter((r) => !removed.has(r.address.toLowerCase()));
  }

  private messages(service: AlertingService, event: EventInfo, reminder: boolean): AlertMessage[] {
    const out: AlertMessage[] = [];
    const cls = event.type as EventClass;
    for (const notifier of this.options.notifiers) {
      if (notifier.perRecipient) {
        for (const r of this.recipients(service)) {
          if (!accepts(r, cls)) continue;
          out.push(this.message(notifier.name, event, { address: r.address, ...(r.mailFormat ? { mailFormat: r.mailFormat } : {}) }));
        }
      } else if (!reminder && (!notifier.settings || this.options.settings[notifier.settings] !== undefined)) {
        out.push(this.message(notifier.name, event));
      }
    }
    return out;
  }

  private message(notifier: string, event: EventInfo, recipient?: AlertMessage['recipient']): AlertMessage {
    const now = this.options.clock.now();
    this.seq = (this.seq + 1) % 1_000_000;
    return {
      id: `${now}_${String(this.seq).padStart(6, '0')}`, notifier, event, host: this.options.host, firstDate: event.date,
      ...(recipient ? { recipient } : {}),
    };
  }
}

/** Does the recipient's `only on {…}` / `but not on {…}` filter let this class through? */
export function accepts(r: AlertRecipient, cls: EventClass): boolean {
  if (!r.events) return true;
  const listed = r.events.classes.includes(cls);
  return r.events.mode === 'only' ? listed : !listed;
}
