// Alert mail end to end: the real daemon, a real SMTP server on loopback (smtp-server), every
// mail parsed with mailparser. Covers the exact default mail, formats, filters, reminders,
// fail-over, TLS (implicit and STARTTLS with a self-signed certificate), AUTH, bad peers.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { freePort, startSilent, startSmtp } from './alerts-peers.mjs';
import { readText, startWarden, stopChild, tempDir, waitFor, warden, writeControlFile } from './harness.mjs';

const HOST = hostname();
const DATE = /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}/;

describe('alerts: mail', function () {
  this.timeout(60_000);
  let t;
  let handles;
  let peers;
  beforeEach(() => {
    t = tempDir('warden-mail-');
    handles = [];
    peers = [];
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`      warden log:\n${readText(join(t.dir, 'warden.log')).split('\n').slice(-40).join('\n')}`);
    for (const h of handles) await stopChild(h, 'SIGKILL');
    for (const p of peers) await p.close();
    t.cleanup();
  });
  const peer = async (p) => {
    peers.push(await p);
    return peers[peers.length - 1];
  };
  const logText = () => readText(join(t.dir, 'warden.log'));
  /** Start warden on a control file made of `lines` (after the daemon, log and pidfile lines). */
  const run = (lines, { toStderr = false } = {}) => {
    const file = writeControlFile(join(t.dir, 'monitrc'), ['set daemon 1', toStderr ? '' : `set log ${join(t.dir, 'warden.log')}`, `set pidfile ${join(t.dir, 'warden.pid')}`, `set statefile ${join(t.dir, 'warden.state')}`, ...lines, ''].join('\n'));
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    return h;
  };
  const missing = () => join(t.dir, 'missing');

  it('sends Monit\'s default mail, word for word, for the instance start and a failure', async () => {
    const smtp = await peer(startSmtp());
    const http = await freePort();
    run([`set mailserver 127.0.0.1 port ${smtp.port} with timeout 5 seconds`, 'set alert ops@example.com', `check file gone with path ${missing()}`,
      `set httpd port ${http} and use address 127.0.0.1`, '  allow admin:"secret"']);
    await waitFor(() => smtp.matching(/Does not exist gone/).length >= 1 && smtp.matching(/instance/).length >= 1, 15_000, 'two mails');
    const m = smtp.matching(/Does not exist gone/)[0];
    assert.equal(m.parsed.subject, 'warden alert --  Does not exist gone');
    assert.equal(m.parsed.from.text, `warden@${HOST}`);
    assert.equal(m.parsed.to.text, 'ops@example.com');
    assert.deepEqual(m.envelope, { from: `warden@${HOST}`, to: ['ops@example.com'] });
    assert.equal(m.parsed.headers.get('x-mailer'), 'warden');
    assert.match(m.parsed.messageId, new RegExp(`^<\\d+\\.[0-9a-f]{16}@${HOST}>$`));
    const text = m.parsed.text.replace(DATE, '<DATE>');
    assert.equal(text, `Does not exist Service gone \n\n\tDate:        <DATE>\n\tAction:      restart\n\tHost:        ${HOST}\n\tDescription: file doesn't exist\n\nYour faithful employee,\nwarden\n`);
    const inst = smtp.matching(/instance/)[0];
    assert.equal(inst.parsed.subject, `warden alert --  Monit instance changed ${HOST}`);
    assert.match(inst.parsed.text, /\tAction:      start\n\tHost: .*\n\tDescription: warden \S+ started\n/);
    assert.match(logText(), new RegExp(`'${HOST}' warden \\S+ started`));
    // One mail per event: a state change, not every cycle.
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(smtp.matching(/Does not exist gone/).length, 1);
    // A user action mails `Action done`, as Monit does.
    assert.equal(warden(['-c', join(t.dir, 'monitrc'), 'unmonitor', 'gone']).status, 0);
    await waitFor(() => smtp.matching(/Action done gone/).length === 1, 10_000, 'the Action done mail');
    assert.match(smtp.matching(/Action done gone/)[0].parsed.text, /\tAction:      unmonitor\n\tHost: .*\n\tDescription: unmonitor action done\n/);
  });

  it('uses set mail-format, a per-recipient format, event filters, alert and noalert', async () => {
    const smtp = await peer(startSmtp());
    run([
      `set mailserver 127.0.0.1 port ${smtp.port}`,
      'set mail-format {',
      '  from: Warden Monitor <wm@example.org>',
      '  reply-to: replies@example.org',
      '  subject: [$HOST] $SERVICE: $EVENT',
      '  message: Event $EVENT on $SERVICE at $DATE,',
      '\taction $ACTION -- $DESCRIPTION; that is all.',
      '}',
      'set alert all@example.com',
      'set alert inst@example.com only on { instance }',
      'set alert rest@example.com but not on { instance }',
      `check file gone with path ${missing()}`,
      '  alert local@example.com with mail-format { subject: LOCAL $SERVICE $ACTION }',
      '  noalert all@example.com',
    ]);
    await waitFor(() => smtp.mails.length >= 4, 15_000, 'four mails');
    await new Promise((r) => setTimeout(r, 1000));
    const to = (addr) => smtp.mails.filter((m) => m.envelope.to.includes(addr)).map((m) => m.parsed.subject).sort();
    assert.deepEqual(to('all@example.com'), [`[${HOST}] ${HOST}: Monit instance changed`]);
    assert.deepEqual(to('inst@example.com'), [`[${HOST}] ${HOST}: Monit instance changed`]);
    assert.deepEqual(to('rest@example.com'), [`[${HOST}] gone: Does not exist`]);
    assert.deepEqual(to('local@example.com'), ['LOCAL gone restart']);
    const rest = smtp.mails.find((m) => m.envelope.to.includes('rest@example.com'));
    assert.equal(rest.parsed.from.text, '"Warden Monitor" <wm@example.org>');
    assert.equal(rest.parsed.replyTo.text, 'replies@example.org');
    assert.match(rest.parsed.text.trim(), new RegExp(`^Event Does not exist on gone at ${DATE.source},\n\taction restart -- file doesn't exist; that is all\\.$`));
    assert.equal(smtp.mails.length, 4, 'one mail per recipient per event');
  });

  it('reminds every N cycles while the failure lasts, and mails the recovery once', async () => {
    const smtp = await peer(startSmtp());
    run([`set mailserver 127.0.0.1 port ${smtp.port}`, 'set alert rem@example.com but not on { instance } with reminder on 2 cycles',
      `check file gone with path ${missing()}`, '  if does not exist then alert']);
    await waitFor(() => smtp.matching(/Does not exist gone/).length >= 2, 15_000, 'the failure and a reminder');
    writeFileSync(missing(), 'here');
    await waitFor(() => smtp.matching(/ Exists gone/).length >= 1, 10_000, 'the recovery');
    const n = smtp.matching(/Does not exist gone/).length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(smtp.matching(/Does not exist gone/).length, n, 'no reminder after the recovery');
    assert.equal(smtp.matching(/ Exists gone/).length, 1);
    const times = smtp.matching(/Does not exist gone/).map((m) => m.at);
    assert.ok(times[1] - times[0] > 1500, 'a reminder every 2 cycles, not every cycle');
  });

  it('fails over to the next server, with STARTTLS on 587 and AUTH on the second', async () => {
    const dead = await freePort();
    const smtp = await peer(startSmtp({ port: 587, auth: { user: 'mailer', pass: 's3cret' } }));
    run([`set mailserver 127.0.0.1 port ${dead}, 127.0.0.1 port 587 username "mailer" password "s3cret" using tls with timeout 5 seconds`,
      'set alert ops@example.com', `check file gone with path ${missing()}`]);
    await waitFor(() => smtp.matching(/Does not exist gone/).length >= 1, 15_000, 'mail through the second server');
    const m = smtp.matching(/Does not exist gone/)[0];
    assert.equal(m.secure, true, 'STARTTLS was used');
    assert.equal(m.user, 'mailer');
    assert.match(logText(), new RegExp(`Trying to send mail via 127\\.0\\.0\\.1:${dead}`));
    assert.match(logText(), new RegExp(`Mail: cannot send via 127\\.0\\.0\\.1:${dead} -- .*ECONNREFUSED`));
    assert.doesNotMatch(logText(), /Delivery failed/);
  });

  it('speaks implicit TLS to a self-signed server on another port, and refuses a wrong password clearly', async () => {
    const tls = await peer(startSmtp({ secure: true, auth: { user: 'u', pass: 'right' } }));
    run([`set mailserver 127.0.0.1 port ${tls.port} username u password "wrong" using ssl with timeout 5 seconds, 127.0.0.1 port ${tls.port} username u password "right" using ssl`,
      'set alert ops@example.com', `check file gone with path ${missing()}`]);
    await waitFor(() => tls.matching(/Does not exist gone/).length >= 1, 15_000, 'mail over TLS');
    assert.equal(tls.mails[0].secure, true);
    assert.match(logText(), /Mail: cannot send via 127\.0\.0\.1:\d+ -- .*(Invalid login|535)/);
  });

  it('drops a mail the server refuses for one recipient, keeps the others, and keeps cycling', async () => {
    const smtp = await peer(startSmtp({ reject: ['bad@example.com'] }));
    const target = missing();
    run([`set mailserver 127.0.0.1 port ${smtp.port}`, 'set alert bad@example.com', 'set alert good@example.com',
      `check file gone with path ${target}`, '  if does not exist then alert']);
    await waitFor(() => smtp.matching(/Does not exist gone/).length >= 1, 15_000, 'mail to the good address');
    writeFileSync(target, 'x');
    await waitFor(() => smtp.matching(/ Exists gone/).length >= 1, 10_000, 'the recovery mail, later');
    assert.ok(smtp.mails.every((m) => m.envelope.to.join() === 'good@example.com'));
    assert.match(logText(), /Mail: Delivery failed -- the mail server refused bad@example\.com/);
    assert.match(logText(), /Dropping the event for bad@example\.com/);
  });

  it('logs an unreachable mail server in Monit\'s words and keeps the event for later', async () => {
    const dead = await freePort();
    run([`set mailserver 127.0.0.1 port ${dead}`, 'set alert ops@example.com', `check file gone with path ${missing()}`]);
    await waitFor(() => /Alert handler failed, retry scheduled for next cycle/.test(logText()), 15_000, 'a retry');
    const log = logText();
    assert.match(log, /error\s+: Mail: Delivery failed -- no mail server is available/);
    assert.match(log, /Keeping event in memory for later delivery \(no set eventqueue\): Does not exist gone/);
    assert.match(log, /'gone' file doesn't exist/);
  });

  it('refuses an invalid address in the control file', () => {
    const file = writeControlFile(join(t.dir, 'bad.rc'), 'set alert not-an-address\n');
    const res = warden(['-t', '-c', file]);
    assert.equal(res.status, 1);
    assert.match(res.stderr + res.stdout, /bad\.rc:1: syntax error 'not-an-address', expected a mail address/);
  });

  it('keeps its cycle while a mail server accepts and never answers', async () => {
    const silent = await peer(startSilent());
    const ticks = join(t.dir, 'ticks');
    const target = missing();
    writeFileSync(target, 'x');
    run([`set mailserver 127.0.0.1 port ${silent.port} with timeout 30 seconds`, 'set alert ops@example.com',
      `check file gone with path ${target}`, '  if does not exist then alert',
      `check program tick with path "/bin/sh -c 'date +%s%3N >> ${ticks}'"`, '  if status != 0 then alert']);
    await waitFor(() => silent.connections() >= 1, 10_000, 'a connection to the silent server');
    rmSync(target);
    await new Promise((r) => setTimeout(r, 3600));
    const stamps = readText(ticks).trim().split('\n').map(Number);
    const recent = stamps.filter((s) => s > Date.now() - 3600);
    assert.ok(recent.length >= 3, `a cycle every second while delivery waits (got ${recent.length} in 3.6 s)`);
    const period = (recent[recent.length - 1] - recent[0]) / (recent.length - 1);
    assert.ok(period <= 1100, `cycle period ${period} ms`);
    assert.match(logText(), /error\s+: 'gone' file doesn't exist/);
    assert.doesNotMatch(logText(), /Delivery failed/, 'still waiting for the greeting');
    // TERM: the delivery gets 5 s to finish, then warden exits anyway.
    const t0 = Date.now();
    assert.equal((await stopChild(handles[0])).code, 0);
    assert.ok(Date.now() - t0 < 7000, `stopped in ${Date.now() - t0} ms`);
  });
});
