import assert from 'node:assert/strict';
import { defineServiceType, defineTest, ok } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import { staticUserLookup } from '../monitrc/user-lookup.js';
import { pmtrModel, PMTR_POLL_SECONDS } from './build-model.js';

/** A stand-in for the supervisor's `job` type and its existence test (core never imports plugins). */
const jobType = defineServiceType<unknown>({
  name: 'job', summary: 'job', keywords: ['job'], monitType: 'job',
  parseTarget: () => ({}), implicitRules: () => ['if does not exist then alert'],
});
const existTest = defineTest<Record<string, never>>({
  name: 'supervisor.exist', summary: 'x', serviceTypes: ['job'], keywords: ['not', 'exist'], polarities: ['none'], event: 'nonexist', codes: {},
  parse: (ts) => {
    ts.expect('not');
    ts.expect('exist');
    return { options: {}, condition: { kind: 'state' }, describe: 'does not exist' };
  },
  run: () => ok('fine'),
});
const registry: GrammarRegistry = {
  serviceType: (k) => (k === 'job' ? (jobType as never) : undefined),
  test: (type, _p, k) => (type === 'job' && (k === 'not' || k === 'exist') ? (existTest as never) : undefined),
  isTestKeyword: (k) => k === 'not' || k === 'exist',
  action: () => undefined,
  protocol: () => undefined,
  setting: () => undefined,
};
const F = '/etc/pmtr.conf';
const options = { users: staticUserLookup({ nobody: 65534 }, {}), exists: (p: string) => p === '/bin/sleep' || p === '/etc/hosts' };

describe('pmtr.conf model', () => {
  it('builds one job service per job, in start order, with the supervisor settings and a 10 s poll', () => {
    const m = pmtrModel([
      'report to udp://127.0.0.1:9', 'listen on udp://127.0.0.1:8',
      'job {', '  name c', '  cmd /bin/sleep 1', '  order 2', '}',
      'job {', '  name a', '  cmd /bin/sleep 2', '}',
      'job {', '  name b', '  cmd /bin/sleep 3', '  order -1', '}',
      'job {', '  name a', '  cmd /bin/sleep 4', '}', '',
    ].join('\n'), F, registry, options);
    assert.deepEqual(m.services.map((s) => s.name), ['b', 'a', 'a#2', 'c']);
    assert.deepEqual(m.services.map((s) => (s.target as { name: string }).name), ['b', 'a', 'a', 'c']);
    assert.equal(m.services[0]!.typeName, 'job');
    assert.deepEqual(m.services[0]!.pos, { file: F, line: 12 });
    assert.deepEqual(m.services[0]!.rules.map((r) => r.describe), ['does not exist']);
    assert.equal(m.globals.daemon?.interval, PMTR_POLL_SECONDS);
    assert.deepEqual(m.globals.settings, {
      'supervisor.watch': F,
      'supervisor.report': [{ host: '127.0.0.1', port: 9 }],
      'supervisor.listen': { host: '127.0.0.1', port: 8 },
    });
    assert.deepEqual(m.warnings.map((w) => w.line), [17]);
  });

  it("warns about what pmtr only finds at start: unknown users, missing programs and dependencies", () => {
    const m = pmtrModel([
      'job {', '  name a', '  cmd /nope/x', '  user ghost', '  depends {', '    /etc/hosts /missing', '  }', '}', '',
    ].join('\n'), F, registry, options);
    assert.deepEqual(m.warnings.map((w) => `${w.line}: ${w.message}`), [
      '1: job a: unknown user: ghost',
      "1: job a: can't exec /nope/x: No such file or directory",
      "1: job a: can't open dependency /missing",
    ]);
  });

  it('an empty pmtr.conf is valid and idle', () => {
    assert.deepEqual(pmtrModel('', F, registry, options).services, []);
  });
});
