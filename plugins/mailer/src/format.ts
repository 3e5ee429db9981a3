import type { AlertMessage, MailFormat } from '@warden/sdk';

/** Monit's default subject (reference V7, two spaces after `--`), with warden's name. */
export const DEFAULT_SUBJECT = 'warden alert --  $EVENT $SERVICE';

/** Monit's default body (reference V7, §7), signed by warden. */
export const DEFAULT_MESSAGE =
  '$EVENT Service $SERVICE \n\n\tDate:        $DATE\n\tAction:      $ACTION\n\tHost:        $HOST\n\tDescription: $DESCRIPTION\n\nYour faithful employee,\nwarden\n';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$DATE`: the event's local time as Monit prints it, `Sun, 22 Nov 2026 08:34:35`. */
export function monitDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Replace `$EVENT $SERVICE $DATE $HOST $ACTION $DESCRIPTION` (reference V1–V6). */
export function expand(text: string, alert: AlertMessage): string {
  const values: Record<string, string> = {
    EVENT: alert.event.text,
    SERVICE: alert.event.service,
    DATE: monitDate(alert.firstDate),
    HOST: alert.host,
    ACTION: alert.event.action,
    DESCRIPTION: alert.event.description,
  };
  return text.replace(/\$(EVENT|SERVICE|DATE|HOST|ACTION|DESCRIPTION)/g, (_, name: string) => values[name]!);
}

/** The mail's fields: the recipient's format over `set mail-format` over the defaults. */
export interface Composed {
  readonly from: string;
  readonly replyTo?: string;
  readonly subject: string;
  readonly text: string;
}

/** Build the mail of one alert for its recipient. */
export function compose(alert: AlertMessage, global: MailFormat | undefined, hostname: string): Composed {
  const own = alert.recipient?.mailFormat;
  const pick = (k: keyof MailFormat) => own?.[k] ?? global?.[k];
  const replyTo = pick('replyTo');
  return {
    from: expand(pick('from') ?? `warden@${hostname}`, alert),
    ...(replyTo ? { replyTo: expand(replyTo, alert) } : {}),
    // A subject is one line, whatever the variables hold.
    subject: expand(pick('subject') ?? DEFAULT_SUBJECT, alert).replace(/[\r\n]+/g, ' '),
    text: expand(pick('message') ?? DEFAULT_MESSAGE, alert),
  };
}
