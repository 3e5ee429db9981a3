import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isParseError, type AlertMessage } from '@warden/sdk';
import { CapturedLogger, FakeClock, tokens } from '@warden/sdk/testing';
import { alertmanagerNotifier, FIRING_FOR_MS, toAlert } from './alertmanager-notifier.js';
import { alertmanagerSetting } from './alertmanager-setting.js';

const at = Date.parse('2026-11-22T08:34:35Z');
const msg = (state: 'failed' | 'succeeded'): AlertMessage => ({
  id: '1_000001', notifier: 'alertmanager', host: 'vm', firstDate: at,
  event: { type: 'nonexist', state, text: state === 'failed' ? 'Does not exist' : 'Exists', description: 'gone', service: 'web', date: at, action: 'alert' },
});

describe('alertmanager', () => {
  it('reads URLs and a timeout, refusing what is not http(s)', () => {
    assert.deepEqual(alertmanagerSetting.parse(tokens('http://a:9093, http://b:9093 with timeout 3 seconds')), { urls: ['http://a:9093', 'http://b:9093'], timeoutMs: 3000 });
    assert.throws(() => alertmanagerSetting.parse(tokens('ftp://a')), (e: unknown) => isParseError(e) && /must start with http/.test(e.message));
    assert.throws(() => alertmanagerSetting.parse(tokens('')), (e: unknown) => isParseError(e));
  });

  it('fires on failure and resolves on recovery with the same labels', () => {
    const firing = toAlert(msg('failed'));
    const resolved = toAlert(msg('succeeded'));
    assert.deepEqual(firing.labels, resolved.labels);
    assert.equal(firing.startsAt, '2026-11-22T08:34:35.000Z');
    assert.equal(firing.endsAt, new Date(at + FIRING_FOR_MS).toISOString());
    assert.equal(resolved.endsAt, '2026-11-22T08:34:35.000Z');
  });

  it('posts to /api/v2/alerts with Basic auth from the URL; a refusal is a failure to retry', async () => {
    const seen: Array<{ url?: string; headers: IncomingHttpHeaders; body: string }> = [];
    let status = 200;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const settings = { alertmanager: { urls: [`http://am:pw@127.0.0.1:${port}`], timeoutMs: 2000 } };
      const ctx = { alert: msg('failed'), settings, signal: new AbortController().signal, log: new CapturedLogger(), clock: new FakeClock() };
      assert.deepEqual(await alertmanagerNotifier.deliver(ctx), { ok: true });
      assert.equal(seen[0]?.url, '/api/v2/alerts');
      assert.equal(seen[0]?.headers.authorization, `Basic ${Buffer.from('am:pw').toString('base64')}`);
      assert.equal((JSON.parse(seen[0]!.body) as Array<{ labels: { service: string } }>)[0]?.labels.service, 'web');
      status = 400;
      const failed = await alertmanagerNotifier.deliver(ctx);
      assert.equal(failed.ok, false);
      assert.match(ctx.log.messages('error')[0] ?? '', /HTTP 400/);
    } finally {
      server.close();
    }
  });
});
