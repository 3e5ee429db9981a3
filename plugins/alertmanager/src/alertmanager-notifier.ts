import { defineNotifier, splitCredentials, type AlertMessage, type DeliveryResult, type HttpTargets, type NotifyContext } from '@warden/sdk';

/** A firing alert stays firing this long unless its recovery comes first. */
export const FIRING_FOR_MS = 24 * 3600_000;

/** Alertmanager's v2 alert for a warden event: firing on failure, resolved on recovery. */
export function toAlert(msg: AlertMessage): Record<string, unknown> {
  const { event } = msg;
  const starts = new Date(msg.firstDate).toISOString();
  const resolved = event.state === 'succeeded';
  // A change is an instant: it fires and resolves at once, so it is seen and kept in history.
  const ends = resolved || event.state === 'changed' || event.state === 'changednot'
    ? new Date(msg.firstDate + (resolved ? 0 : 1000)).toISOString()
    : new Date(msg.firstDate + FIRING_FOR_MS).toISOString();
  return {
    labels: { alertname: `warden_${event.type}`, service: event.service, host: msg.host, event: event.type },
    annotations: { summary: `${event.text} ${event.service}`, description: event.description, action: event.action },
    ...(resolved ? { startsAt: ends } : { startsAt: starts }),
    endsAt: ends,
  };
}

async function deliver(ctx: NotifyContext): Promise<DeliveryResult> {
  const targets = ctx.settings['alertmanager'] as HttpTargets | undefined;
  if (!targets) return { ok: false, message: 'Alertmanager: no set alertmanager', permanent: true };
  const body = JSON.stringify([toAlert(ctx.alert)]);
  const failures: string[] = [];
  let accepted = 0;
  // Loaded on first delivery: importing undici costs ~240 ms of start-up.
  const { request } = await import('undici');
  for (const raw of targets.urls) {
    const { url, headers } = splitCredentials(raw);
    const endpoint = new URL('api/v2/alerts', url.endsWith('/') ? url : `${url}/`).toString();
    try {
      const res = await request(endpoint, {
        method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' },
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(targets.timeoutMs)]),
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) accepted++;
      else failures.push(`${endpoint}: HTTP ${res.statusCode} ${text.trim().slice(0, 200)}`);
    } catch (err) {
      failures.push(`${endpoint}: ${(err as Error).message}`);
    }
  }
  for (const f of failures) ctx.log.error(`Alertmanager: cannot post to ${f}`);
  if (accepted > 0) {
    ctx.log.debug(`Alertmanager: ${ctx.alert.event.text} ${ctx.alert.event.service} posted to ${accepted} of ${targets.urls.length}`);
    return { ok: true };
  }
  return { ok: false, message: 'Alertmanager: Delivery failed -- no Alertmanager is available' };
}

/** Events to Prometheus Alertmanager: one alert per event, resolved by the recovery event. */
export const alertmanagerNotifier = defineNotifier({
  name: 'alertmanager',
  summary: 'every event to Alertmanager: firing on failure, resolved on recovery',
  settings: 'alertmanager',
  perRecipient: false,
  deliver,
});
