import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertMessage } from '@warden/sdk';
import { CapturedLogger, FakeClock, tokens } from '@warden/sdk/testing';
import { toPayload, webhookNotifier } from './webhook-notifier.js';
import { webhookSetting } from './webhook-setting.js';

const alert: AlertMessage = {
  id: '1_000001', notifier: 'webhook', host: 'vm', firstDate: Date.parse('2026-11-22T08:34:35Z'),
  event: { type: 'status', state: 'failed', text: 'Status failed', description: 'status failed (2)', service: 'job', date: 0, action: 'alert' },
};

describe('webhook', () => {
  it('reads the URLs', () => {
    assert.deepEqual(webhookSetting.parse(tokens('https://hooks.example.com/x')), { urls: ['https://hooks.example.com/x'], timeoutMs: 10_000 });
  });

  it('posts a chat-ready text with the event\'s fields', () => {
    assert.deepEqual(toPayload(alert), {
      text: 'warden alert --  Status failed job: status failed (2)', id: '1_000001', host: 'vm', service: 'job', event: 'status',
      state: 'failed', summary: 'Status failed', description: 'status failed (2)', action: 'alert', date: '2026-11-22T08:34:35.000Z',
    });
  });

  it('needs every URL to take it', async () => {
    const bodies: string[] = [];
    const ok = createServer((req, res) => {
      let b = '';
      req.on('data', (d: Buffer) => (b += d.toString()));
      req.on('end', () => {
        bodies.push(b);
        res.writeHead(204).end();
      });
    });
    const bad = createServer((_req, res) => res.writeHead(500).end('down'));
    await new Promise<void>((r) => ok.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    const url = (s: typeof ok) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/hook`;
    try {
      const ctx = (urls: string[]) => ({ alert, settings: { webhook: { urls, timeoutMs: 2000 } }, signal: new AbortController().signal, log: new CapturedLogger(), clock: new FakeClock() });
      assert.deepEqual(await webhookNotifier.deliver(ctx([url(ok)])), { ok: true });
      assert.equal((JSON.parse(bodies[0]!) as { service: string }).service, 'job');
      const both = ctx([url(ok), url(bad)]);
      const result = await webhookNotifier.deliver(both);
      assert.equal(result.ok, false);
      assert.match(both.log.messages('error')[0] ?? '', /answered HTTP 500 down/);
    } finally {
      ok.close();
      bad.close();
    }
  });
});
