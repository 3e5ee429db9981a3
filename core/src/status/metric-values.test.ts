import assert from 'node:assert/strict';
import { MetricValues } from './metric-values.js';

/** The samples of `values` as `name{labels} value` lines, sorted. */
function lines(values: MetricValues): string[] {
  return values
    .all()
    .map((s) => `${s.name}{${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).sort().join(',')}} ${s.value}`)
    .sort();
}

describe('MetricValues', () => {
  it('keeps one series per name and labels, the labels under the service and type', () => {
    const values = new MetricValues();
    const sink = values.sinkFor('web', 'host');
    const endpoint = Object.freeze({ endpoint: '127.0.0.1:80' });
    // Two names under one frozen labels object, reported alternately, cycle after cycle.
    for (let cycle = 1; cycle <= 3; cycle++) {
      sink.set('probe_success', cycle % 2, endpoint);
      sink.set('probe_duration_seconds', cycle / 100, endpoint);
      sink.inc('checks_total', 1, Object.freeze({ result: 'ok' }));
      sink.set('up', 1);
    }
    assert.deepEqual(lines(values), [
      'checks_total{result=ok,service=web,type=host} 3',
      'probe_duration_seconds{endpoint=127.0.0.1:80,service=web,type=host} 0.03',
      'probe_success{endpoint=127.0.0.1:80,service=web,type=host} 1',
      'up{service=web,type=host} 1',
    ]);
  });

  it('stays right with more frozen label sets than it remembers, and with labels that are not frozen', () => {
    const values = new MetricValues();
    const sink = values.sinkFor('db', 'host');
    const sets = Array.from({ length: 20 }, (_, i) => Object.freeze({ port: String(i) }));
    for (let round = 0; round < 3; round++) {
      for (const labels of sets) sink.inc('hits_total', 1, labels);
      sink.inc('hits_total', 1, { port: '0' });
    }
    const got = lines(values);
    assert.equal(got.length, 20);
    assert.ok(got.includes('hits_total{port=0,service=db,type=host} 6'), got.join('\n'));
    for (let i = 1; i < 20; i++) assert.ok(got.includes(`hits_total{port=${i},service=db,type=host} 3`), `port ${i}`);
  });

  it('keeps each service apart, and forgets services that are gone', () => {
    const values = new MetricValues();
    const labels = Object.freeze({ result: 'ok' });
    values.sinkFor('a', 'file').inc('checks_total', 1, labels);
    values.sinkFor('b', 'file').inc('checks_total', 2, labels);
    values.sinkFor('a', 'file').inc('checks_total', 1, labels);
    assert.deepEqual(lines(values), ['checks_total{result=ok,service=a,type=file} 2', 'checks_total{result=ok,service=b,type=file} 2']);
    values.retainServices(new Set(['b']));
    assert.deepEqual(lines(values), ['checks_total{result=ok,service=b,type=file} 2']);
  });
});
