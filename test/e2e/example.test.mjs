// `npm start` runs examples/monitrc: the checks run, and the web page and /metrics answer on
// 127.0.0.1:2812 as the README says.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { request } from 'undici';
import { ROOT, startWarden, stopChild, tempDir, waitFor } from './harness.mjs';

describe('the bundled example (npm start)', function () {
  this.timeout(60_000);

  it('checks every service and serves the web page and /metrics on 127.0.0.1:2812', async () => {
    // Its own HOME: the example names no state, id or pid file, so they go to ~/.warden.*.
    const home = tempDir('warden-home-');
    const h = startWarden(['-I', '-v', '-c', join(ROOT, 'examples', 'monitrc')], { env: { HOME: home.dir } });
    try {
      await waitFor(() => /'flappy' status (failed|succeeded)/.test(h.output.text), 30_000, 'the first program results');
      assert.match(h.output.text, /'hosts' file exists/);
      assert.match(h.output.text, /'tmp' directory exists/);
      const page = await request('http://127.0.0.1:2812/');
      assert.equal(page.statusCode, 200);
      assert.match(await page.body.text(), /<title>warden<\/title>/);
      const metrics = await (await request('http://127.0.0.1:2812/metrics')).body.text();
      for (const service of ['hosts', 'tmp', 'uptime', 'flappy']) assert.match(metrics, new RegExp(`^warden_service_monitored\\{service="${service}",`, 'm'));
    } finally {
      const exit = await stopChild(h, 'SIGINT');
      home.cleanup();
      assert.equal(exit.code, 0, h.output.text.slice(-2000));
    }
  });
});
