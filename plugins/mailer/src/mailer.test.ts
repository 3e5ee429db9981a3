import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArrayTokenStream, isParseError, tokenize, type AlertMessage } from '@warden/sdk';
import { tokens } from '@warden/sdk/testing';
import { compose, DEFAULT_MESSAGE, expand, monitDate } from './format.js';
import { mailFormatSetting } from './mail-format.js';
import { mailserverSetting } from './mailserver.js';

const alert: AlertMessage = {
  id: '1_000001', notifier: 'mail', host: 'mrtest', firstDate: new Date(2026, 10, 22, 8, 34, 35).getTime(),
  event: { type: 'nonexist', state: 'failed', text: 'Does not exist', description: 'process is not running', service: 'dummy', date: 0, action: 'restart' },
  recipient: { address: 'ops@example.com' },
};

describe('mailer', () => {
  describe('set mailserver', () => {
    it('reads an ordered fail-over list with per-server options and the list-wide ones', () => {
      const ts = tokens('smtp.example.com port 587 username "u@x" password "p" using tls, localhost with timeout 60 seconds using hostname "mon.example.com" set daemon 1');
      assert.deepEqual(mailserverSetting.parse(ts), {
        servers: [{ host: 'smtp.example.com', port: 587, username: 'u@x', password: 'p', tls: { verify: false } }, { host: 'localhost', port: 25 }],
        timeoutMs: 60_000,
        hostname: 'mon.example.com',
      });
      assert.equal(ts.peek().text, 'set', 'stops at the next statement');
    });

    it('reads TLS options and refuses a zero timeout', () => {
      const parsed = mailserverSetting.parse(tokens('mx port 465 using ssl { verify: enable }'));
      assert.deepEqual(parsed.servers[0]?.tls, { verify: true });
      assert.throws(() => mailserverSetting.parse(tokens('mx with timeout 0 seconds')), (e: unknown) => isParseError(e));
    });
  });

  describe('mail-format', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'warden-mailer-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('cuts the fields from the file: one-line headers, the message verbatim up to }', () => {
      const text = 'set mail-format {\n  from: Monit <monit@x.org>\n  subject: $SERVICE $EVENT\n  message: Hello, $SERVICE;\n\tbye.\n}\nset daemon 1\n';
      const file = join(dir, 'rc');
      writeFileSync(file, text);
      const ts = new ArrayTokenStream(tokenize(text, file));
      ts.next();
      ts.next();
      assert.deepEqual(mailFormatSetting.parse(ts), { from: 'Monit <monit@x.org>', subject: '$SERVICE $EVENT', message: 'Hello, $SERVICE;\n\tbye.' });
      assert.equal(ts.next().text, 'set');
    });

    it('joins the words when there is no file to cut from, and refuses an unknown field', () => {
      assert.deepEqual(mailFormatSetting.parse(tokens('{ subject: Alarm $SERVICE }')), { subject: 'Alarm $SERVICE' });
      assert.throws(() => mailFormatSetting.parse(tokens('{ body: x }')), (e: unknown) => isParseError(e) && /syntax error 'body'/.test(e.message));
    });
  });

  describe('format', () => {
    it('prints $DATE like Monit and expands every variable', () => {
      assert.equal(monitDate(alert.firstDate), 'Sun, 22 Nov 2026 08:34:35');
      assert.equal(expand('$EVENT|$SERVICE|$HOST|$ACTION|$DESCRIPTION', alert), 'Does not exist|dummy|mrtest|restart|process is not running');
    });

    it('writes Monit\'s default mail with warden\'s name', () => {
      const mail = compose(alert, undefined, 'mrtest');
      assert.equal(mail.from, 'warden@mrtest');
      assert.equal(mail.subject, 'warden alert --  Does not exist dummy');
      assert.equal(mail.text, 'Does not exist Service dummy \n\n\tDate:        Sun, 22 Nov 2026 08:34:35\n\tAction:      restart\n\tHost:        mrtest\n\tDescription: process is not running\n\nYour faithful employee,\nwarden\n');
      assert.equal(DEFAULT_MESSAGE.endsWith('warden\n'), true);
    });

    it('takes the recipient\'s format over the global one, field by field', () => {
      const own = { ...alert, recipient: { address: 'a@b.c', mailFormat: { subject: 'LOCAL $SERVICE' } } };
      const mail = compose(own, { subject: 'global', from: 'g@x.org', replyTo: 'r@x.org' }, 'h');
      assert.deepEqual(mail, { from: 'g@x.org', replyTo: 'r@x.org', subject: 'LOCAL dummy', text: compose(alert, undefined, 'h').text });
    });
  });
});
