import assert from 'node:assert/strict';
import { defineNotifier, type AlertMessage, type DeliveryResult, type EventInfo } from '@warden/sdk';
import { CapturedLogger, FakeClock } from '@warden/sdk/testing';
import type { AlertRecipient } from '../config/model.js';
import { AlertRouter } from './alert-router.js';
import { Delivery } from './delivery.js';

const pos = { file: 'rc', line: 1 };
const rcpt = (address: string, extra: Partial<AlertRecipient> = {}): AlertRecipient => ({ address, pos, ...extra });
const ev = (type: string, state: EventInfo['state'], service = 'web'): EventInfo => ({ type, state, text: `${type} ${state}`, description: 'd', service, date: 5, action: 'alert' });

function router(globals: AlertRecipient[], submitted: AlertMessage[][], notifiers = [mailLike(), otherLike()], settings: Record<string, unknown> = { other: {} }) {
  return new AlertRouter({ globals, notifiers, settings, host: 'vm', clock: new FakeClock(), delivery: { submit: (m) => submitted.push([...m]) } });
}
const mailLike = () => defineNotifier({ name: 'mail', summary: '', perRecipient: true, deliver: () => Promise.resolve({ ok: true }) });
const otherLike = () => defineNotifier({ name: 'other', summary: '', settings: 'other', perRecipient: false, deliver: () => Promise.resolve({ ok: true }) });

describe('alerts', () => {
  describe('AlertRouter', () => {
    it('sends one message per recipient, the service\'s own overriding a global one, minus noalert', () => {
      const out: AlertMessage[][] = [];
      const r = router([rcpt('ops@x.org'), rcpt('all@x.org'), rcpt('gone@x.org')], out);
      const service = { name: 'web', alerts: [rcpt('OPS@x.org', { events: { mode: 'only', classes: ['timeout'] } }), rcpt('own@x.org')], noalerts: ['gone@x.org'] };
      r.event(service, ev('nonexist', 'failed'), '0');
      const mail = out[0]!.filter((m) => m.notifier === 'mail').map((m) => m.recipient?.address);
      assert.deepEqual(mail, ['all@x.org', 'own@x.org']);
      assert.equal(out[0]!.filter((m) => m.notifier === 'other').length, 1);
      assert.equal(out[0]![0]!.firstDate, 5);
    });

    it('filters by only on / but not on', () => {
      const out: AlertMessage[][] = [];
      const r = router([rcpt('a@x', { events: { mode: 'only', classes: ['instance'] } }), rcpt('b@x', { events: { mode: 'not', classes: ['instance'] } })], out, [mailLike()]);
      r.event({ name: 'vm', alerts: [], noalerts: [] }, ev('instance', 'changed', 'vm'));
      r.event({ name: 'web', alerts: [], noalerts: [] }, ev('nonexist', 'failed'), '0');
      assert.deepEqual(out.map((ms) => ms.map((m) => m.recipient?.address)), [['a@x'], ['b@x']]);
    });

    it('reminds every N cycles while failing, treats a repeat as ongoing, and stops on recovery', () => {
      const out: AlertMessage[][] = [];
      const r = router([rcpt('r@x', { reminder: 2 }), rcpt('once@x')], out);
      const s = { name: 'web', alerts: [], noalerts: [] };
      r.event(s, ev('nonexist', 'failed'), '0');
      assert.equal(out.length, 1);
      r.ongoing(s, ev('nonexist', 'failed'), '0');
      r.event(s, ev('nonexist', 'failed'), '0'); // an exec `repeat`: the second failing cycle
      assert.deepEqual(out.slice(1).map((ms) => ms.map((m) => `${m.notifier}:${m.recipient?.address ?? ''}`)), [['mail:r@x']]);
      r.event(s, ev('nonexist', 'succeeded'), '0');
      r.ongoing(s, ev('nonexist', 'failed'), '0');
      r.ongoing(s, ev('nonexist', 'failed'), '0');
      assert.equal(out.length, 4, 'no reminder once recovered (the recovery itself was sent)');
    });

    it('leaves a notifier without its setting out', () => {
      const out: AlertMessage[][] = [];
      router([], out, [otherLike()], {}).event({ name: 'web', alerts: [], noalerts: [] }, ev('nonexist', 'failed'), '0');
      assert.deepEqual(out, [[]]);
    });
  });

  describe('Delivery', () => {
    const msg = (id: string): AlertMessage => ({ id, notifier: 'n', event: ev('nonexist', 'failed'), host: 'vm', firstDate: 1 });

    it('delivers in order, keeps failures for the next round, and logs in Monit\'s words', async () => {
      const delivered: string[] = [];
      let up = false;
      const n = defineNotifier({
        name: 'n', summary: '', perRecipient: false,
        deliver: ({ alert }): Promise<DeliveryResult> => {
          if (!up) return Promise.resolve({ ok: false, message: 'Mail: Delivery failed -- no mail server is available' });
          delivered.push(alert.id);
          return Promise.resolve({ ok: true });
        },
      });
      const log = new CapturedLogger();
      const d = new Delivery({ notifiers: [n], settings: {}, log, clock: new FakeClock(), intervalMs: 100 });
      await d.start();
      d.submit([msg('1_1'), msg('1_2'), msg('1_3')]);
      await d.idle();
      assert.deepEqual(delivered, []);
      assert.equal(log.messages('error').filter((m) => /no mail server is available/.test(m)).length, 1, 'one attempt per round');
      assert.equal(log.messages('info').filter((m) => /Keeping event in memory for later delivery/.test(m)).length, 3);
      up = true;
      await new Promise((r) => setTimeout(r, 250));
      await d.idle();
      assert.deepEqual(delivered, ['1_1', '1_2', '1_3']);
      assert.deepEqual(await d.stop(0), []);
    });

    it('drops an event it could not store once its one attempt fails', async () => {
      const n = defineNotifier({ name: 'n', summary: '', perRecipient: false, deliver: () => Promise.resolve({ ok: false, message: 'down' }) });
      const log = new CapturedLogger();
      const store = { add: () => Promise.reject(new Error('disk full')), list: () => Promise.resolve([]), remove: () => Promise.resolve(), where: (id: string) => id };
      const d = new Delivery({ notifiers: [n], store, settings: {}, log, clock: new FakeClock(), intervalMs: 10_000 });
      await d.start();
      d.submit([msg('2_1')]);
      await d.idle();
      assert.match(log.messages('error').join('\n'), /Event queue: cannot queue the event -- disk full/);
      assert.match(log.messages('error').join('\n'), /could not be queued and is dropped/);
      assert.deepEqual(d.undelivered(), []);
      await d.stop(0);
    });

    it('never makes the caller wait for a hung receiver', async () => {
      let release: () => void = () => undefined;
      const n = defineNotifier({ name: 'n', summary: '', perRecipient: false, deliver: () => new Promise((r) => (release = () => r({ ok: true }))) });
      const d = new Delivery({ notifiers: [n], settings: {}, log: new CapturedLogger(), clock: new FakeClock(), intervalMs: 10_000 });
      await d.start();
      const t0 = Date.now();
      d.submit([msg('3_1')]);
      assert.ok(Date.now() - t0 < 20);
      await new Promise((r) => setTimeout(r, 20));
      release();
      await d.idle();
      assert.deepEqual(d.undelivered(), []);
      await d.stop(0);
    });
  });
});
