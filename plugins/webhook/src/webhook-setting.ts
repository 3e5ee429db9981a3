import { defineSetting, parseHttpTargets, type HttpTargets } from '@warden/sdk';

/** `set webhook URL [, URL …] [with timeout N seconds]`. */
export const webhookSetting = defineSetting<HttpTargets>({
  name: 'webhook',
  summary: 'post every alert as JSON to one or more URLs (Slack, Mattermost, Teams, …)',
  keywords: ['webhook'],
  options: {
    url: { type: 'string', description: 'Where to POST; every URL gets every alert. `https://user:pass@…` sends Basic auth.' },
    timeout: { type: 'duration', description: '`with timeout N seconds`: per request.', default: '10 s' },
  },
  parse: (ts) => parseHttpTargets(ts, 10_000),
});
