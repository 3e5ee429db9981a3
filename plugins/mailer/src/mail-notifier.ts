import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { hostname as osHostname } from 'node:os';
import type Nodemailer from 'nodemailer';
import { defineNotifier, type DeliveryResult, type MailFormat, type NotifyContext } from '@warden/sdk';
import { compose } from './format.js';
import { DEFAULT_TIMEOUT_MS, type MailServer, type MailServerSetting } from './mailserver.js';

/** Without `set mailserver`, Monit sends through localhost:25. */
const LOCALHOST: MailServerSetting = { servers: [{ host: 'localhost', port: 25 }], timeoutMs: DEFAULT_TIMEOUT_MS };

/** SMTP replies of 5xx to the envelope: the server will never take this mail. */
function permanent(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  return e.code === 'EENVELOPE' && typeof e.responseCode === 'number' && e.responseCode >= 500;
}

function transportFor(nodemailer: typeof Nodemailer, server: MailServer, setting: MailServerSetting, name: string, socket: Socket) {
  const implicitTls = !!server.tls && server.port !== 25 && server.port !== 587;
  return nodemailer.createTransport({
    host: server.host,
    port: server.port,
    // Ours, so an abort (warden stopping) can close it at once whatever the SMTP state.
    socket,
    secure: implicitTls,
    requireTLS: !!server.tls && !implicitTls,
    ignoreTLS: !server.tls,
    name,
    connectionTimeout: setting.timeoutMs,
    greetingTimeout: setting.timeoutMs,
    socketTimeout: setting.timeoutMs,
    tls: { rejectUnauthorized: server.tls?.verify ?? false },
    ...(server.username !== undefined ? { auth: { user: server.username, pass: server.password ?? '' } } : {}),
  });
}

/** Send one alert to its recipient through the first server that takes it. */
async function deliver(ctx: NotifyContext): Promise<DeliveryResult> {
  const { alert, log, signal } = ctx;
  const address = alert.recipient?.address;
  if (!address) return { ok: false, message: 'Mail: an alert without a recipient', permanent: true };
  const setting = (ctx.settings['mailserver'] as MailServerSetting | undefined) ?? LOCALHOST;
  const name = setting.hostname ?? osHostname();
  const mail = compose(alert, ctx.settings['mail-format'] as MailFormat | undefined, name);
  log.debug(`Sending ${alert.event.text} notification to ${address}`);
  // Loaded on the first alert mail, not at start-up: nodemailer is ~300 KB of code to compile.
  const nodemailer = (await import('nodemailer')).default;
  let refused: string | undefined;
  for (const server of setting.servers) {
    if (signal.aborted) break;
    log.debug(`Trying to send mail via ${server.host}:${server.port}`);
    const socket = new Socket();
    const transport = transportFor(nodemailer, server, setting, name, socket);
    const abort = () => socket.destroy();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await transport.sendMail({
        ...mail,
        to: address,
        messageId: `<${Math.floor(Date.now() / 1000)}.${randomBytes(8).toString('hex')}@${name}>`,
        headers: { 'X-Mailer': 'warden' },
      });
      return { ok: true, message: `mail sent to ${address} via ${server.host}:${server.port}` };
    } catch (err) {
      const why = (err as Error).message;
      log.error(`Mail: cannot send via ${server.host}:${server.port} -- ${why}`);
      if (permanent(err)) refused = why;
    } finally {
      signal.removeEventListener('abort', abort);
      transport.close();
      socket.destroy();
    }
  }
  if (refused) return { ok: false, message: `Mail: Delivery failed -- the mail server refused ${address}: ${refused}`, permanent: true };
  return { ok: false, message: 'Mail: Delivery failed -- no mail server is available' };
}

/** Alert mail (reference E1, R18): one mail per recipient per event. */
export const mailNotifier = defineNotifier({
  name: 'mail',
  summary: 'alert mail to the `set alert` / `alert` recipients through `set mailserver`',
  settings: 'mailserver',
  perRecipient: true,
  deliver,
});
