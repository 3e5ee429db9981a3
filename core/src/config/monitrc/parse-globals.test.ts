import assert from 'node:assert/strict';
import { parseErrorText, parseText } from './fake-registry.js';

describe('monitrc globals', () => {
  it('reads set daemon with and without a start delay', () => {
    assert.deepEqual(parseText('set daemon 30').globals.daemon, { interval: 30, startDelay: 0, pos: { file: 'test.rc', line: 1 } });
    assert.deepEqual(parseText('\nset daemon 120 with start delay 240').globals.daemon, { interval: 120, startDelay: 240, pos: { file: 'test.rc', line: 2 } });
  });

  it('rejects a zero or missing poll time', () => {
    assert.equal(parseErrorText('set daemon 0'), 'Poll time is invalid or not defined. Please define poll time in the control file\nas a number (> 0)  or use the -d option when starting monit');
    assert.match(parseErrorText('set daemon abc'), /^test\.rc:1: syntax error 'abc'/);
  });

  it('reads set log to a file or syslog, and set logfile as an alias', () => {
    assert.deepEqual(parseText('set log /var/log/monit.log').globals.log, { kind: 'file', path: '/var/log/monit.log' });
    assert.deepEqual(parseText('set log syslog').globals.log, { kind: 'syslog', facility: 'log_user' });
    assert.deepEqual(parseText('set logfile syslog facility LOG_DAEMON').globals.log, { kind: 'syslog', facility: 'log_daemon' });
    assert.deepEqual(parseText('set log syslog facility log_local7').globals.log, { kind: 'syslog', facility: 'log_local7' });
  });

  it('rejects a bad syslog facility and a relative log path', () => {
    assert.equal(parseErrorText('set daemon 5\nset log syslog facility log_bogus'), "test.rc:2: Invalid syslog facility 'log_bogus'");
    assert.match(parseErrorText('set log monit.log'), /^test\.rc:1: syntax error 'monit\.log'/);
  });

  it('reads pidfile, statefile and idfile', () => {
    const g = parseText('set pidfile /run/w.pid\nset statefile "/var/lib/w/state"\nset idfile /var/lib/w/id').globals;
    assert.equal(g.pidfile, '/run/w.pid');
    assert.equal(g.statefile, '/var/lib/w/state');
    assert.equal(g.idfile, '/var/lib/w/id');
  });

  it('reads set alert with event filters and reminders', () => {
    const g = parseText([
      'set alert ops@example.com',
      'set alert a@x.org only on { timeout, nonexist }',
      'set alert b@x.org but not on { instance, action } with reminder on 10 cycles',
      'set alert root@localhost',
    ].join('\n')).globals;
    assert.deepEqual(g.alerts, [
      { address: 'ops@example.com', pos: { file: 'test.rc', line: 1 } },
      { address: 'a@x.org', events: { mode: 'only', classes: ['timeout', 'nonexist'] }, pos: { file: 'test.rc', line: 2 } },
      { address: 'b@x.org', events: { mode: 'not', classes: ['instance', 'action'] }, reminder: 10, pos: { file: 'test.rc', line: 3 } },
      { address: 'root@localhost', pos: { file: 'test.rc', line: 4 } },
    ]);
  });

  it('rejects an unknown event name in an alert filter (X21)', () => {
    assert.match(
      parseErrorText('set alert x@example.com on { checksum, permission, uid, gid, unmonitor }'),
      /^test\.rc:1: syntax error 'unmonitor'/,
    );
    assert.match(parseErrorText('set alert nobody then'), /^test\.rc:1: syntax error 'nobody', expected a mail address/);
  });

  it('reads set limits { concurrency: N } and load statements', () => {
    const g = parseText('set limits { concurrency: 8 }\nload "@acme/warden-plugin-x"\nload /opt/p.js').globals;
    assert.equal(g.concurrency, 8);
    assert.deepEqual(g.loads, [
      { spec: '@acme/warden-plugin-x', pos: { file: 'test.rc', line: 2 } },
      { spec: '/opt/p.js', pos: { file: 'test.rc', line: 3 } },
    ]);
    assert.equal(parseText('set limits { programTimeout: 5 s }').globals.limits?.programTimeout, 5000);
    assert.match(parseErrorText('set limits { execTimeout: 5 s }'), /^test\.rc:1: syntax error 'execTimeout'/);
  });

  it('rejects unknown set statements and top-level words (G61, G62)', () => {
    assert.equal(parseErrorText('set foobar 10'), "test.rc:1: syntax error 'foobar'");
    assert.equal(parseErrorText('set daemon 10\n\nfrobnicate'), "test.rc:3: syntax error 'frobnicate'");
  });

  it('rejects a rule before any check (M04, M05)', () => {
    assert.equal(parseErrorText('if failed port 80 then alert'), "test.rc:1: syntax error 'if'");
    assert.equal(
      parseErrorText('check file f with path /tmp/f\nset daemon 10\n  if does not exist then alert'),
      "test.rc:3: syntax error 'if'",
    );
  });

  it('accepts CRLF, ; and , separators, comments and any case', () => {
    const m = parseText('SET DAEMON 30;\r\n# comment\r\nSet Log Syslog Facility Log_Daemon,\r\nSET ALERT a@x.org ON { Timeout, NonExist }\r\n');
    assert.equal(m.globals.daemon?.interval, 30);
    assert.deepEqual(m.globals.log, { kind: 'syslog', facility: 'log_daemon' });
    assert.deepEqual(m.globals.alerts[0]?.events, { mode: 'only', classes: ['timeout', 'nonexist'] });
  });

  it('returns an empty model for an empty file', () => {
    const m = parseText('# nothing\n');
    assert.deepEqual(m.services.map((s) => [s.name, s.monitType, s.rules.length, s.pos.line]), [['myhost', 'system', 0, 0]], 'only the implicit system service (A38)');
    assert.deepEqual(m.globals, { loads: [], alerts: [], settings: {} });
  });
});
