import assert from 'node:assert/strict';
import { parseErrorText, parseText } from './fake-registry.js';

describe('monitrc check blocks', () => {
  it('reads check TYPE NAME and hands the header to the service type', () => {
    const [s] = parseText('check file conf with path /etc/app.conf').services;
    assert.equal(s?.name, 'conf');
    assert.equal(s?.typeName, 'file');
    assert.equal(s?.monitType, 'file');
    assert.deepEqual(s?.target, { path: '/etc/app.conf' });
    assert.deepEqual(s?.pos, { file: 'test.rc', line: 1 });
    assert.deepEqual(s?.schedule, { kind: 'always' });
    assert.equal(s?.mode, 'active');
    assert.equal(s?.onreboot, 'start');
  });

  it('reads the type word raw (program is a noise word elsewhere) and any case', () => {
    const m = parseText('CHECK PROGRAM backup WITH PATH "/bin/backup -q"\n  IF STATUS != 0 THEN ALERT');
    assert.equal(m.services[0]?.typeName, 'program');
    assert.deepEqual(m.services[0]?.target, { argv: ['/bin/backup', '-q'] });
    assert.equal(m.services[0]?.rules[0]?.describe, 'status != 0');
  });

  it('accepts quoted names, keywords as names and $HOST', () => {
    const m = parseText('check file "my conf" with path /a\ncheck file alert with path /b\ncheck system $HOST');
    assert.deepEqual(m.services.map((s) => s.name), ['my conf', 'alert', 'myhost']);
  });

  it('rejects an unknown type, a name starting with / and a duplicate name', () => {
    assert.equal(parseErrorText('check gizmo g'), "test.rc:1: syntax error 'gizmo'");
    assert.equal(
      parseErrorText('check file /etc/passwd with path /etc/passwd'),
      "test.rc:1: Service name '/etc/passwd' must not start with '/' --  '/etc/passwd'",
    );
    assert.equal(parseErrorText('check system a\ncheck system a'), "test.rc:2: Service name conflict, a already defined 'a'");
  });

  it('reports the service type header errors at their line (S25, S26)', () => {
    assert.match(parseErrorText('check file f with path f.txt'), /^test\.rc:1: syntax error 'f\.txt'/);
    assert.match(parseErrorText('check file f\n'), /^test\.rc:2: syntax error ''/);
  });

  it('reads group, depends, mode and onreboot', () => {
    const m = parseText([
      'check file a with path /a',
      '  group www group "db"',
      '  depends on b, c',
      '  mode passive',
      '  onreboot nostart',
      'check file b with path /b',
      '  mode manual',
      'check file c with path /c depend b',
    ].join('\n'));
    const [a, b, c] = m.services;
    assert.deepEqual(a?.groups, ['www', 'db']);
    assert.deepEqual(a?.depends, ['b', 'c']);
    assert.equal(a?.mode, 'passive');
    assert.equal(a?.onreboot, 'nostart');
    assert.equal(b?.mode, 'manual');
    assert.equal(b?.onreboot, 'laststate');
    assert.deepEqual(c?.depends, ['b']);
  });

  it('rejects an unknown service statement and a bad mode', () => {
    assert.equal(parseErrorText('check file f with path /f\n  frobnicate'), "test.rc:2: syntax error 'frobnicate'");
    assert.match(parseErrorText('check file f with path /f\n  mode lazy'), /^test\.rc:2: syntax error 'lazy', expected 'active' or 'passive' or 'manual'/);
    assert.match(parseErrorText('check file f with path /f\n  group "web servers"'), /^test\.rc:2: syntax error '"web servers"'/);
  });

  it('validates depends once the whole file is read (T34, T35)', () => {
    assert.equal(parseErrorText('check file a with path /a\n  depends on nosuch'), "Depending service 'nosuch' is not defined in the control file");
    assert.equal(
      parseErrorText('check file a with path /a\n  depends on b\ncheck file b with path /b\n  depends on a'),
      "Found a depend loop in the control file involving the service 'a'",
    );
    assert.equal(
      parseErrorText('check file a with path /a depends on x\ncheck file b with path /b depends y'),
      "Depending service 'x' is not defined in the control file\nDepending service 'y' is not defined in the control file",
    );
  });

  it('reads every N cycles, every "cron" and not every "cron"; a second every warns', () => {
    const m = parseText([
      'check file a with path /a every 2 cycles',
      'check file b with path /b every "* 8-19 * * 1-5"',
      'check file c with path /c not every "* 0-3 * * 0"',
      'check file d with path /d every 3 cycles',
      '  every 4 cycles',
    ].join('\n'));
    assert.deepEqual(m.services.filter((s) => s.monitType !== 'system').map((s) => s.schedule), [
      { kind: 'cycles', n: 2 },
      { kind: 'cron', expression: '* 8-19 * * 1-5', negate: false },
      { kind: 'cron', expression: '* 0-3 * * 0', negate: true },
      { kind: 'cycles', n: 4 },
    ]);
    assert.equal(m.warnings.length, 1);
    assert.deepEqual({ file: m.warnings[0]?.file, line: m.warnings[0]?.line }, { file: 'test.rc', line: 5 });
  });

  it('rejects cron steps and bad cron expressions like Monit 5.33 (T26, T27)', () => {
    assert.equal(parseErrorText('check file a with path /a\n  every "*/5 * * * *"'), "test.rc:2: syntax error '*/5', invalid every format");
    assert.equal(parseErrorText('check file a with path /a\n  every "bogus"'), "test.rc:2: syntax error 'bogus', invalid every format");
    assert.equal(parseErrorText('check file a with path /a\n  every "* * *"'), `test.rc:2: invalid every format '"* * *"'`);
  });

  it('reads start, stop and restart programs with uid, gid and timeout', () => {
    const [s] = parseText([
      'check file a with path /a',
      '  start program = "/etc/init.d/tomcat start" as uid "tomcat" and gid "tomcat" with timeout 60 seconds',
      `  stop program = "/bin/sh -c 'kill -s TERM \`cat /run/x.pid\`'"`,
      '  restart "/bin/restart" uid 99 gid nogroup',
    ].join('\n')).services;
    assert.deepEqual(s?.start, {
      command: '/etc/init.d/tomcat start',
      argv: ['/etc/init.d/tomcat', 'start'],
      uid: 91,
      gid: 91,
      timeoutMs: 60_000,
      pos: { file: 'test.rc', line: 2 },
    });
    assert.deepEqual(s?.stop?.argv, ['/bin/sh', '-c', 'kill -s TERM `cat /run/x.pid`']);
    assert.equal(s?.restart?.uid, 99);
    assert.equal(s?.restart?.gid, 65534);
  });

  it('rejects unknown users and groups and a single-quoted command (T20, M01b)', () => {
    assert.equal(
      parseErrorText('check file a with path /a\n  start program = "/bin/true" as uid nosuchuser'),
      "test.rc:2: Requested user not found on the system 'nosuchuser'",
    );
    assert.equal(
      parseErrorText('check file a with path /a\n  start program = "/bin/true" gid nosuchgroup'),
      "test.rc:2: Requested group not found on the system 'nosuchgroup'",
    );
    assert.match(parseErrorText("check file a with path /a\n  start program = '/bin/true'"), /^test\.rc:2: syntax error '='/);
  });

  it('reads per-service alert and noalert', () => {
    const [s] = parseText('check file a with path /a\n  alert admin@x.org on { nonexist, timeout } reminder 3\n  noalert ops@example.com').services;
    assert.deepEqual(s?.alerts, [
      { address: 'admin@x.org', events: { mode: 'only', classes: ['nonexist', 'timeout'] }, reminder: 3, pos: { file: 'test.rc', line: 2 } },
    ]);
    assert.deepEqual(s?.noalerts, ['ops@example.com']);
  });

  it('ends a block at set, check and load', () => {
    const m = parseText('check file a with path /a\nset daemon 5\ncheck file b with path /b\nload "x"\n');
    assert.deepEqual(m.services.map((s) => s.name), ['a', 'b', 'myhost']);
    assert.equal(m.globals.daemon?.interval, 5);
    assert.equal(m.globals.loads.length, 1);
  });
});
