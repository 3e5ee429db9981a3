import { defineSetting, parseHttpTargets, type HttpTargets } from '@warden/sdk';

/** `set alertmanager URL [, URL …] [with timeout N seconds]`. */
export const alertmanagerSetting = defineSetting<HttpTargets>({
  name: 'alertmanager',
  summary: 'post alerts to Prometheus Alertmanager (v2 API)',
  keywords: ['alertmanager'],
  options: {
    url: { type: 'string', description: 'Base URL of an Alertmanager (`http://host:9093`); list every member of a cluster, each gets every alert. `http://user:pass@…` sends Basic auth.' },
    timeout: { type: 'duration', description: '`with timeout N seconds`: per request.', default: '10 s' },
  },
  parse: (ts) => parseHttpTargets(ts, 10_000),
});
