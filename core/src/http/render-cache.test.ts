import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import type { ServiceStatus } from '../status/status-store.js';
import { StatusRenderCache } from './render-cache.js';

function service(name: string): ServiceStatus {
  return {
    name, type: 'file', monitor: 'monitored', mode: 'active', onreboot: 'start', status: 'OK', statusBits: 0,
    failingEvents: [], rules: [], observations: { size: 1 }, groups: [], lastCheck: 1000, lastDurationMs: 1,
  };
}

describe('StatusRenderCache', () => {
  const setup = () => {
    const rendered: string[] = [];
    const render = (s: ServiceStatus) => {
      rendered.push(s.name);
      return `${s.name}:${s.status}:${String(s.observations.size)}:${s.monitor};`;
    };
    return { cache: new StatusRenderCache(), rendered, render };
  };

  it('renders each service once and serves the same bytes while nothing changes', () => {
    const { cache, rendered, render } = setup();
    const services = [service('a'), service('b')];
    const first = cache.document('text', 'text|', render, 'H|', services, '|T');
    const again = cache.document('text', 'text|', render, 'H|', services, '|T');
    assert.equal(first.body.toString(), 'H|a:OK:1:monitored;b:OK:1:monitored;|T');
    assert.equal(again, first);
    assert.deepEqual(rendered, ['a', 'b']);
    assert.equal(gunzipSync(first.gzipped()).toString(), first.body.toString());
  });

  it('re-renders only the service whose check, observations, monitoring or status changed', () => {
    const { cache, rendered, render } = setup();
    const [a, b] = [service('a'), service('b')];
    cache.document('text', 'k', render, 'H', [a, b], '');
    b.observations.size = 2;
    b.lastCheck = 2000;
    assert.equal(cache.document('text', 'k', render, 'H', [a, b], '').body.toString(), 'Ha:OK:1:monitored;b:OK:2:monitored;');
    a.monitor = 'not monitored';
    assert.match(cache.document('text', 'k', render, 'H', [a, b], '').body.toString(), /a:OK:1:not monitored;/);
    b.observations = { size: 3 };
    assert.match(cache.document('text', 'k', render, 'H', [a, b], '').body.toString(), /b:OK:3:/);
    assert.deepEqual(rendered, ['a', 'b', 'b', 'a', 'b']);
  });

  it('rebuilds the document, not the services, when the head or the selection changes', () => {
    const { cache, rendered, render } = setup();
    const services = [service('a'), service('b')];
    cache.document('text', 'k', render, 'uptime 0m|', services, '');
    assert.equal(cache.document('text', 'k', render, 'uptime 1m|', services, '').body.toString(), 'uptime 1m|a:OK:1:monitored;b:OK:1:monitored;');
    assert.equal(cache.document('text', 'k|b', render, 'H|', [services[1]!], '').body.toString(), 'H|b:OK:1:monitored;');
    assert.deepEqual(rendered, ['a', 'b']);
  });
});
