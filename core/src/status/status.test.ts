import assert from 'node:assert/strict';
import { MetricValues } from './metric-values.js';
import { StatusStore, type EventRecord, type ServiceStatus } from './status-store.js';

function service(name: string): ServiceStatus {
  return {
    name, type: 'file', monitor: 'initializing', mode: 'active', onreboot: 'start', status: 'OK', statusBits: 0,
    failingEvents: [], rules: [], observations: {}, groups: [],
  };
}

function event(service: string, n: number): EventRecord {
  return { service, cls: 'nonexist', state: 'failed', text: 'Does not exist', description: `#${n}`, date: n, actions: ['alert'] };
}

describe('MetricValues', () => {
  it('labels each sample with the service and type, keeping the latest per series', () => {
    const values = new MetricValues();
    const sink = values.sinkFor('web', 'host');
    sink.set('probe_duration_seconds', 0.5);
    sink.set('probe_duration_seconds', 0.25);
    sink.set('probe_http_status_code', 200, { phase: 'x' });
    assert.deepEqual(values.all(), [
      { name: 'probe_duration_seconds', labels: { service: 'web', type: 'host' }, value: 0.25 },
      { name: 'probe_http_status_code', labels: { phase: 'x', service: 'web', type: 'host' }, value: 200 },
    ]);
  });

  it('inc() adds to the series, whatever the order of the labels', () => {
    const values = new MetricValues();
    const sink = values.sinkFor('db', 'process');
    sink.inc('warden_checks_total', 1, { result: 'ok', a: '1' });
    sink.inc('warden_checks_total', 2, { a: '1', result: 'ok' });
    sink.inc('warden_checks_total');
    assert.deepEqual(values.all().map((s) => s.value), [3, 1]);
  });

  it('a probe cannot override the service label', () => {
    const values = new MetricValues();
    values.sinkFor('real', 'file').set('m', 1, { service: 'fake' });
    assert.equal(values.all()[0]!.labels.service, 'real');
  });

  it('retainServices() forgets the series of removed services', () => {
    const values = new MetricValues();
    values.sinkFor('keep', 'file').set('m', 1);
    values.sinkFor('gone', 'file').set('m', 2);
    values.retainServices(new Set(['keep']));
    assert.deepEqual(values.all().map((s) => s.labels.service), ['keep']);
  });
});

describe('StatusStore', () => {
  it('reset() replaces the services, in declaration order', () => {
    const store = new StatusStore();
    store.reset([service('b'), service('a')]);
    assert.deepEqual(store.all().map((s) => s.name), ['b', 'a']);
    store.reset([service('c')]);
    assert.deepEqual(store.all().map((s) => s.name), ['c']);
    assert.equal(store.get('a'), undefined);
    assert.equal(store.get('c')?.status, 'OK');
  });

  it('keeps the 200 most recent events, newest last, filterable by service', () => {
    const store = new StatusStore();
    for (let n = 1; n <= 205; n++) store.recordEvent(event(n % 2 ? 'odd' : 'even', n));
    const all = store.events();
    assert.equal(all.length, 200);
    assert.equal(all[0]!.description, '#6');
    assert.equal(all.at(-1)!.description, '#205');
    assert.ok(store.events('odd').every((e) => e.service === 'odd'));
    assert.equal(store.events('odd').length, 100);
    all.pop();
    assert.equal(store.events().length, 200, 'a copy is returned');
  });
});

describe('MetricValues, cheap keys', () => {
  it('gives one sink per service and forgets it with the service', () => {
    const values = new MetricValues();
    assert.equal(values.sinkFor('a', 'file'), values.sinkFor('a', 'file'));
    assert.notEqual(values.sinkFor('a', 'file'), values.sinkFor('a', 'host'));
    const before = values.sinkFor('gone', 'file');
    before.inc('warden_checks_total');
    values.retainServices(new Set(['a']));
    assert.deepEqual(values.all(), []);
    assert.notEqual(values.sinkFor('gone', 'file'), before);
  });

  it('keeps series apart by label values and names, even with separators in them', () => {
    const values = new MetricValues();
    const sink = values.sinkFor('s', 'file');
    sink.inc('m', 1, { result: 'ok' });
    sink.inc('m', 1, { result: 'failed' });
    sink.inc('m', 1, { result: 'ok' });
    sink.inc('m', 1);
    values.sinkFor('s2', 'file').inc('m', 5, { result: 'ok' });
    assert.deepEqual(values.all().map((s) => [s.labels.service, s.labels.result, s.value]), [['s', 'ok', 2], ['s', 'failed', 1], ['s', undefined, 1], ['s2', 'ok', 5]]);
  });
});
