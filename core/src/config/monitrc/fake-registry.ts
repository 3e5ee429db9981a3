import {
  defineAction,
  defineServiceType,
  defineTest,
  done,
  ok,
  splitCommand,
  type ActionDefinition,
  type Definition,
  type ProtocolDefinition,
  type SettingDefinition,
  type ServiceTypeDefinition,
  type TestDefinition,
} from '@warden/sdk';
import { tokenize } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { ControlModel } from '../model.js';
import { parseMonitrc } from './parser.js';
import { staticUserLookup } from './user-lookup.js';

/** Parse `text` as the control file `test.rc` with the fake registry, users and hostname. */
export function parseText(text: string, registry: GrammarRegistry = fakeRegistry()): ControlModel {
  return parseMonitrc(tokenize(text, 'test.rc'), 'test.rc', registry, {
    users: staticUserLookup({ root: 0, nobody: 65534, tomcat: 91 }, { root: 0, nogroup: 65534, tomcat: 91 }),
    hostname: () => 'myhost',
  });
}

/** The message `parseText(text)` throws (`FILE:LINE: …` for a parse error); fails when none. */
export function parseErrorText(text: string, registry?: GrammarRegistry): string {
  try {
    parseText(text, registry);
  } catch (err) {
    return String(err);
  }
  throw new Error(`expected an error for: ${text}`);
}

/**
 * A registry over a few small definitions, for the front-end's tests: `file` (`with path
 * PATH`, implicit `if does not exist then restart`), `program` (`with path "CMD"`), `system`;
 * tests `exist`/`not exist`, `timestamp`, `status OP N`; action `exec "CMD"`.
 */
export function fakeRegistry(extra: readonly Definition[] = []): GrammarRegistry {
  const defs: Definition[] = [fileType, programType, systemType, existTest, timestampTest, statusTest, execAction, ...extra];
  const types = defs.filter((d): d is ServiceTypeDefinition<unknown, unknown, unknown> => d.kind === 'service-type');
  const tests = defs.filter((d): d is TestDefinition<unknown, unknown> => d.kind === 'test');
  const actions = defs.filter((d): d is ActionDefinition<unknown> => d.kind === 'action');
  return {
    serviceType: (k) => types.find((t) => t.keywords.includes(k)),
    test: (type, polarity, k) => tests.find((t) => t.serviceTypes.includes(type) && t.polarities.includes(polarity) && t.keywords.includes(k)),
    isTestKeyword: (k) => tests.some((t) => t.keywords.includes(k)),
    action: (k) => actions.find((a) => a.keywords.includes(k)),
    protocol: (name) => defs.find((d): d is ProtocolDefinition<unknown> => d.kind === 'protocol' && d.name === name),
    setting: (k) => defs.find((d): d is SettingDefinition<unknown> => d.kind === 'setting' && d.keywords.includes(k)),
  };
}

export const fileType = defineServiceType<{ path: string }>({
  name: 'file',
  summary: 'a regular file',
  keywords: ['file'],
  monitType: 'file',
  parseTarget(ts) {
    ts.expect('path');
    return { path: ts.path() };
  },
  implicitRules: () => ['if does not exist then restart'],
});

export const programType = defineServiceType<{ argv: string[] }>({
  name: 'program',
  summary: 'a program run each cycle',
  keywords: ['program'],
  monitType: 'program',
  parseTarget(ts) {
    ts.expect('path');
    return { argv: splitCommand(ts.string('a command')) };
  },
});

export const systemType = defineServiceType<Record<string, never>>({
  name: 'system',
  summary: 'this host',
  keywords: ['system'],
  monitType: 'system',
  parseTarget: () => ({}),
});

export const existTest = defineTest<{ want: boolean }>({
  name: 'file.exist',
  summary: 'existence',
  serviceTypes: ['file'],
  keywords: ['exist', 'not'],
  polarities: ['none'],
  event: 'nonexist',
  codes: {},
  parse(ts) {
    if (ts.accept('not')) {
      ts.expect('exist');
      return { options: { want: true }, condition: { kind: 'state' }, describe: 'does not exist' };
    }
    ts.expect('exist');
    return { options: { want: false }, condition: { kind: 'state', invert: true }, event: 'exist', describe: 'exist' };
  },
  run: () => ok('exists'),
});

export const timestampTest = defineTest<Record<string, never>>({
  name: 'file.timestamp',
  summary: 'modification time',
  serviceTypes: ['file'],
  keywords: ['timestamp'],
  polarities: ['none', 'changed'],
  event: 'timestamp',
  codes: {},
  parse(ts, ctx) {
    ts.expect('timestamp');
    if (ctx.polarity === 'changed') return { options: {}, condition: { kind: 'changed' }, describe: 'changed timestamp' };
    const c = ts.comparison(['ms']);
    return { options: {}, condition: { kind: 'compare', comparison: c }, describe: `timestamp ${c.op} ${c.text}` };
  },
  run: () => ok('fresh'),
});

export const statusTest = defineTest<Record<string, never>>({
  name: 'program.status',
  summary: 'exit status',
  serviceTypes: ['program'],
  keywords: ['status'],
  polarities: ['none'],
  event: 'status',
  codes: {},
  parse(ts) {
    ts.expect('status');
    const c = ts.comparison(['none']);
    return { options: {}, condition: { kind: 'compare', comparison: c }, describe: `status ${c.op} ${c.text}` };
  },
  run: () => ok('0'),
});

export const execAction = defineAction<{ command: string; argv: string[] }>({
  name: 'exec',
  summary: 'run a command',
  keywords: ['exec'],
  parse(ts) {
    const command = ts.string('a command');
    return { command, argv: splitCommand(command) };
  },
  describe: (o) => `exec "${o.command}"`,
  run: async () => done('ran'),
});
