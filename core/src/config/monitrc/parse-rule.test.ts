import assert from 'node:assert/strict';
import { defineServiceType, defineTest, ok } from '@warden/sdk';
import { fakeRegistry, fileType, parseErrorText, parseText } from './fake-registry.js';

const FILE = 'check file f with path /tmp/f\n';
const PROGRAM = 'check program p with path "/bin/p"\n';

describe('monitrc rules', () => {
  it('reads a rule with the test parsed by its plugin and default rate', () => {
    const [s] = parseText(`${FILE}  if does not exist then alert`).services;
    const r = s?.rules[0];
    assert.equal(r?.test.name, 'file.exist');
    assert.equal(r?.polarity, 'none');
    assert.equal(r?.event, 'nonexist');
    assert.equal(r?.describe, 'does not exist');
    assert.deepEqual(r?.rate, { times: 1, cycles: 1 });
    assert.deepEqual(r?.action, { name: 'alert', describe: 'alert', pos: { file: 'test.rc', line: 2 } });
    assert.equal(r?.elseAction, undefined);
    assert.deepEqual(r?.elseRate, { times: 1, cycles: 1 });
    assert.equal(r?.implicit, false);
    assert.deepEqual(r?.pos, { file: 'test.rc', line: 2 });
  });

  it('takes the event from the test unless the parse overrides it', () => {
    const [s] = parseText(`${FILE}  if exist then alert`).services;
    assert.equal(s?.rules[0]?.event, 'exist');
    assert.deepEqual(s?.rules[0]?.condition, { kind: 'state', invert: true });
  });

  it('reads the polarity word', () => {
    const [s] = parseText(`${FILE}  if changed timestamp then alert\n  if timestamp > 5 minutes then alert`).services;
    assert.equal(s?.rules[0]?.polarity, 'changed');
    assert.deepEqual(s?.rules[0]?.condition, { kind: 'changed' });
    assert.equal(s?.rules[1]?.polarity, 'none');
    assert.equal(s?.rules[1]?.describe, 'timestamp > 5 minutes');
  });

  it('reads every rate form', () => {
    const rates = parseText([
      PROGRAM,
      '  if status != 0 for 3 cycles then alert',
      '  if status != 1 3 times within 5 cycles then alert',
      '  if status != 2 for 2 times within 4 cycles then alert',
      '  if status != 3 2 5 cycles then alert',
      '  if status != 4 1 cycle then alert',
    ].join('')).services[0]?.rules.map((r) => r.rate);
    assert.deepEqual(rates, [
      { times: 3, cycles: 3 },
      { times: 3, cycles: 5 },
      { times: 2, cycles: 4 },
      { times: 2, cycles: 5 },
      { times: 1, cycles: 1 },
    ]);
  });

  it('rejects rates out of range with Monit\'s messages (T38, T39)', () => {
    assert.equal(parseErrorText(`${PROGRAM}  if status != 0 for 65 cycles then alert`), "test.rc:2: The number of cycles must be between 1 and 64 '65'");
    assert.equal(parseErrorText(`${PROGRAM}  if status != 0 for 0 cycles then alert`), "test.rc:2: The number of cycles must be between 1 and 64 '0'");
    assert.equal(
      parseErrorText(`${PROGRAM}  if status != 0 for 5 times within 3 cycles then alert`),
      "test.rc:2: The number of events must be between 1 and less then poll cycles '3'",
    );
  });

  it('reports a missing then at the token where it was expected', () => {
    assert.equal(parseErrorText(`${PROGRAM}  if status != 0 alert`), "test.rc:2: syntax error 'alert', expected 'then'");
    assert.equal(parseErrorText(`${PROGRAM}  if status != 0 for 2 cycles\n  alert`), "test.rc:3: syntax error 'alert', expected 'then'");
  });

  it('rejects a test outside its service type and an unknown test (M06, M09)', () => {
    assert.equal(parseErrorText(`${FILE}  if status != 0 then alert`), "test.rc:2: syntax error 'status'");
    assert.equal(parseErrorText(`${PROGRAM}  if does not exist then alert`), "test.rc:2: syntax error 'not'");
    assert.equal(parseErrorText(`${FILE}  if cpu > 50% then alert`), "test.rc:2: syntax error 'cpu'");
    assert.equal(parseErrorText(`${FILE}  if failed exist then alert`), "test.rc:2: syntax error 'exist'");
  });

  it('reads every core action', () => {
    const actions = parseText([
      FILE,
      '  if timestamp > 1 then alert',
      '  if timestamp > 2 then restart',
      '  if timestamp > 3 then start',
      '  if timestamp > 4 then stop',
      '  if timestamp > 5 then unmonitor',
    ].join('\n')).services[0]?.rules.filter((r) => !r.implicit).map((r) => r.action.name);
    assert.deepEqual(actions, ['alert', 'restart', 'start', 'stop', 'unmonitor']);
    // Monit 5.33 has no `monitor` action (reference T46).
    assert.match(parseErrorText(`${FILE}\n  if timestamp > 6 then monitor`), /syntax error 'monitor'/);
  });

  it('reads a plugin action with repeat every N cycles', () => {
    const r = parseText(`${PROGRAM}  if status != 0 then exec "/bin/page.sh -u ops" repeat every 5 cycles`).services[0]?.rules[0];
    assert.equal(r?.action.name, 'exec');
    assert.deepEqual(r?.action.options, { command: '/bin/page.sh -u ops', argv: ['/bin/page.sh', '-u', 'ops'] });
    assert.equal(r?.action.repeat, 5);
    assert.equal(r?.action.describe, 'exec "/bin/page.sh -u ops" repeat every 5 cycles');
    assert.match(parseErrorText(`${PROGRAM}  if status != 0 then exec "/bin/x" repeat every cycle`), /^test\.rc:2: syntax error 'cycle'/);
  });

  it('rejects an unknown action and timeout outside restart limits (T45)', () => {
    const expected = "expected an action (alert, restart, start, stop, unmonitor, exec)";
    assert.equal(parseErrorText(`${PROGRAM}  if status != 0 then ignore`), `test.rc:2: syntax error 'ignore', ${expected}`);
    assert.equal(parseErrorText(`${PROGRAM}  if status != 0 then timeout`), `test.rc:2: syntax error 'timeout', ${expected}`);
  });

  it('reads else actions, with and without a recovery rate', () => {
    const rules = parseText([
      PROGRAM,
      '  if status != 0 then alert else alert',
      '  if status != 1 for 3 cycles then restart else if succeeded 2 cycles then exec "/bin/ok"',
      '  if status != 2 then alert else if recovered then unmonitor',
    ].join('')).services[0]?.rules;
    assert.equal(rules?.[0]?.elseAction?.name, 'alert');
    assert.deepEqual(rules?.[0]?.elseRate, { times: 1, cycles: 1 });
    assert.equal(rules?.[1]?.elseAction?.describe, 'exec "/bin/ok"');
    assert.deepEqual(rules?.[1]?.elseRate, { times: 2, cycles: 2 });
    assert.deepEqual(rules?.[1]?.rate, { times: 3, cycles: 3 });
    assert.equal(rules?.[2]?.elseAction?.name, 'unmonitor');
  });

  it('reads restart limits (C61) and checks them (T16)', () => {
    const s = parseText(`${FILE}  if 5 restarts within 10 cycles then unmonitor\n  if 2 restart 3 cycle then timeout`).services[0];
    assert.deepEqual(s?.restartLimits.map((l) => [l.rate, l.action.name, l.pos.line]), [
      [{ times: 5, cycles: 10 }, 'unmonitor', 2],
      [{ times: 2, cycles: 3 }, 'timeout', 3],
    ]);
    assert.equal(
      parseErrorText(`${FILE}  if 6 restarts within 5 cycles then unmonitor`),
      "test.rc:2: The number of restarts must be less than poll cycles '5'",
    );
  });

  it('skips noise words and keeps ids in order', () => {
    const s = parseText(`${FILE}  if the timestamp is greater than 3 minutes for 2 cycles then alert\n  if does not exist then alert`).services[0];
    assert.equal(s?.rules[0]?.describe, 'timestamp > 3 minutes');
    assert.deepEqual(s?.rules.map((r) => r.id), [0, 1]);
  });

  it('adds the type\'s implicit rules unless the user wrote one for the same test', () => {
    const implicit = parseText('set daemon 5\n\ncheck file f with path /tmp/f\n  if timestamp > 5 then alert').services[0]?.rules[1];
    assert.equal(implicit?.implicit, true);
    assert.equal(implicit?.test.name, 'file.exist');
    assert.equal(implicit?.action.name, 'restart');
    assert.deepEqual(implicit?.pos, { file: 'test.rc', line: 3 });
    assert.equal(implicit?.id, 1);
    const replaced = parseText(`${FILE}  if exist then alert`).services[0]?.rules;
    assert.deepEqual(replaced?.map((r) => [r.describe, r.implicit]), [['exist', false]]);
  });

  it('places each service\'s implicit rules at its own check, and parses them per service when the test reads the service', () => {
    const text = ['check file a with path /tmp/a', 'check file b with path /tmp/b', '  if timestamp > 5 then alert', 'check file c with path /tmp/c'].join('\n');
    const plain = parseText(text).services.filter((s) => s.typeName === 'file').map((s) => s.rules.find((r) => r.implicit)!);
    assert.deepEqual(plain.map((r) => [r.describe, r.pos.line, r.id]), [['does not exist', 1, 0], ['does not exist', 2, 1], ['does not exist', 4, 0]]);
    // A test that reads nothing of its service parses the same for each: one parse serves all.
    assert.equal(plain[0]!.options, plain[2]!.options);
    // One that reads the service's target gets it for each service, never another's.
    const pathAware = defineServiceType<{ path: string }>({
      ...fileType,
      name: 'watched',
      keywords: ['watched'],
      implicitRules: () => ['if missing then alert'],
    });
    const missing = defineTest<{ path: string }>({
      name: 'watched.missing',
      summary: 'missing',
      serviceTypes: ['watched'],
      keywords: ['missing'],
      polarities: ['none'],
      event: 'nonexist',
      codes: {},
      parse(ts, ctx) {
        ts.expect('missing');
        const { path } = ctx.target as { path: string };
        return { options: { path }, condition: { kind: 'state' }, describe: `${path} missing` };
      },
      run: () => ok('here'),
    });
    const watched = parseText('check watched a with path /tmp/a\ncheck watched b with path /tmp/b', fakeRegistry([pathAware, missing])).services.filter((s) => s.typeName === 'watched');
    assert.deepEqual(watched.map((s) => [s.rules[0]!.describe, s.rules[0]!.options]), [['/tmp/a missing', { path: '/tmp/a' }], ['/tmp/b missing', { path: '/tmp/b' }]]);
  });

  it('reads a check block written with CRLF, ; and , separators and parentheses', () => {
    const s = parseText('check file f with path /tmp/f;\r\n  if (timestamp > 3 minutes) then alert, else alert;\r\n  group a, group b\r\n').services[0];
    assert.equal(s?.rules[0]?.describe, 'timestamp > 3 minutes');
    assert.equal(s?.rules[0]?.elseAction?.name, 'alert');
    assert.deepEqual(s?.groups, ['a', 'b']);
  });
});
