import { defineNotifier, splitCredentials, type AlertMessage, type DeliveryResult, type HttpTargets, type NotifyContext } from '@warden/sdk';

/** The JSON body: `text` for chat tools (Slack, Mattermost), the event's fields for the rest. */
export function toPayload(msg: AlertMessage): Record<string, unknown> {
  const { event } = msg;
  return {
    text: `warden alert --  ${event.text} ${event.service}: ${event.description}`,
    id: msg.id,
    host: msg.host,
    service: event.service,
    event: event.type,
    state: event.state,
    summary: event.text,
    description: event.description,
    action: event.action,
    date: new Date(msg.firstDate).toISOString(),
  };
}

async function deliver(ctx: NotifyContext): Promise<DeliveryResult> {
  const targets = ctx.settings['webhook'] as HttpTargets | undefined;
  if (!targets) return { ok: false, message: 'Webhook: no set webhook', permanent: true };
  const body = JSON.stringify(toPayload(ctx.alert));
  let failed = 0;
  // Loaded on first delivery: importing undici costs ~240 ms of start-up.
  const { request } = await import('undici');
  for (const raw of targets.urls) {
    const { url, headers } = splitCredentials(raw);
    try {
      const res = await request(url, {
        method: 'POST', body, headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'warden' },
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(targets.timeoutMs)]),
      });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode >= 300) {
        failed++;
        ctx.log.error(`Webhook: ${url} answered HTTP ${res.statusCode} ${text.trim().slice(0, 200)}`);
      }
    } catch (err) {
      failed++;
      ctx.log.error(`Webhook: cannot post to ${url} -- ${(err as Error).message}`);
    }
  }
  // Every URL must take it: a retry goes to all of them again (receivers see at-least-once).
  if (failed > 0) return { ok: false, message: `Webhook: Delivery failed -- ${failed} of ${targets.urls.length} URL(s) did not take the alert` };
  ctx.log.debug(`Webhook: ${ctx.alert.event.text} ${ctx.alert.event.service} posted`);
  return { ok: true };
}

/** Every event as one JSON POST to each `set webhook` URL. */
export const webhookNotifier = defineNotifier({
  name: 'webhook',
  summary: 'every event as a JSON POST to the `set webhook` URLs',
  settings: 'webhook',
  perRecipient: false,
  deliver,
});
