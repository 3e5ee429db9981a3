import { defineSetting } from '@warden/sdk';

/** `set eventqueue [basedir PATH] [slots N]`. */
export interface EventQueueSetting {
  readonly basedir: string;
  /** At most this many queued events; absent: no limit. */
  readonly slots?: number;
}

/** Where queued events go when `basedir` is not given (Monit's is /var/monit). */
export const DEFAULT_BASEDIR = '/var/lib/warden/events';

/** `set eventqueue …` (reference A11). */
export const eventqueueSetting = defineSetting<EventQueueSetting>({
  name: 'eventqueue',
  summary: 'keep undelivered alerts on disk and retry them every cycle',
  keywords: ['eventqueue'],
  options: {
    basedir: { type: 'path', description: 'The folder of the queued events (created mode 0700).', default: DEFAULT_BASEDIR },
    slots: { type: 'integer', description: 'At most this many queued events; when full, new ones are refused with a log line (the oldest are kept).' },
  },
  parse(ts) {
    let basedir = DEFAULT_BASEDIR;
    let slots: number | undefined;
    for (;;) {
      if (ts.accept('basedir')) basedir = ts.path();
      else if (ts.accept('slots', 'slot')) {
        const tok = ts.peek();
        slots = ts.integer('a number of slots');
        if (slots < 1) ts.error('The event queue needs at least 1 slot', tok);
      } else break;
    }
    return { basedir, ...(slots !== undefined ? { slots } : {}) };
  },
});
