import type { AlertMessage, Clock, EventInfo, Logger } from '@warden/sdk';
import type { ControlModel } from '../config/model.js';
import type { PluginHost } from '../plugins/plugin-host.js';
import { eventText } from '../events/event-texts.js';
import { VERSION } from '../version.js';
import { AlertRouter } from './alert-router.js';
import { Delivery } from './delivery.js';

/** The alert path of one configuration: the router the dispatcher calls and its delivery queue. */
export interface Alerts {
  readonly router: AlertRouter;
  readonly delivery: Delivery;
  /** Post an instance event (`started`, `stopped`, `reloaded`) for the `check system` service. */
  instance(what: 'started' | 'stopped' | 'reloaded'): void;
}

/** What {@link createAlerts} needs from the daemon. */
export interface AlertsDeps {
  readonly model: ControlModel;
  readonly host: PluginHost;
  readonly log: Logger & { child(service: string): Logger };
  readonly clock: Clock;
  /** `$HOST`: the `check system` name, else the host name. */
  readonly hostName: string;
  readonly intervalMs: number;
}

/** Monit's action ids for instance events: start, stop, restart (reload). */
const INSTANCE_ACTION = { started: 'start', stopped: 'stop', reloaded: 'restart' } as const;

/**
 * Build the alert path of a configuration: open the event store its `set eventqueue`
 * asks for, start delivering (what an earlier run or the previous configuration left is
 * delivered first), and route events to the loaded notifiers.
 */
export async function createAlerts(deps: AlertsDeps, carried: readonly AlertMessage[] = []): Promise<Alerts> {
  const settings = deps.model.globals.settings;
  let store;
  for (const def of deps.host.eventStores()) {
    if (settings[def.setting] === undefined) continue;
    try {
      store = def.open({ settings, log: deps.log });
    } catch (err) {
      deps.log.error(`Event queue: cannot open it -- ${(err as Error).message}; alerts are kept in memory only`);
    }
    if (store) break;
  }
  const notifiers = deps.host.notifiers();
  const delivery = new Delivery({ notifiers, ...(store ? { store } : {}), settings, log: deps.log, clock: deps.clock, intervalMs: deps.intervalMs });
  await delivery.start(carried);
  const router = new AlertRouter({ globals: deps.model.globals.alerts, notifiers, settings, host: deps.hostName, clock: deps.clock, delivery });
  const system = deps.model.services.find((s) => s.monitType === 'system');
  return {
    router,
    delivery,
    instance(what) {
      const description = what === 'reloaded' ? 'warden reloaded' : `warden ${VERSION} ${what}`;
      deps.log.child(deps.hostName).info(description);
      const event: EventInfo = {
        type: 'instance', state: 'changed', text: eventText('instance', 'changed'), description,
        service: deps.hostName, date: deps.clock.now(), action: INSTANCE_ACTION[what],
      };
      router.event(system ?? { name: deps.hostName, alerts: [], noalerts: [] }, event);
    },
  };
}
