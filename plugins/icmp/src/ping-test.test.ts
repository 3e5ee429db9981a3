import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseTest, runProbe } from '@warden/sdk/testing';
import type { IcmpTarget } from './host-address.js';
import { DURATION_METRIC, pingTest } from './ping-test.js';

const options = (text: string) => parseTest(pingTest, text, { polarity: 'failed', serviceType: 'host' }).options;
const probe = (text: string, target: IcmpTarget) => runProbe(pingTest, { options: options(text), target, timeoutMs: 20_000 });
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });

describe('icmp.ping against real peers', function () {
  this.timeout(20_000);

  it('gets a reply from 127.0.0.1 with its round trip', async () => {
    const { result, metrics } = await probe('ping count 1 timeout 2 seconds', { address: '127.0.0.1' });
    assert.equal(result.status, 'ok', result.message);
    assert.match(result.message, /^ping test succeeded \[response time \d+\.\d{3} ms\]$/);
    assert.equal(typeof result.value, 'number');
    assert.ok(metrics.values.has(DURATION_METRIC));
  });

  it('gets a reply from ::1 with ping6, and from the host target the protocols plugin makes', async () => {
    assert.equal((await probe('ping6 count 1', { address: '::1' })).result.status, 'ok');
    const host = { host: 'localhost', resolution: { addresses: [{ address: '::1', family: 6 as const }, { address: '127.0.0.1', family: 4 as const }] } };
    const v4 = await probe('ping4 count 1', host);
    assert.equal(v4.result.status, 'ok', v4.result.message);
    assert.equal((await probe('ping count 1', host)).result.status, 'ok');
  });

  it('sends the smallest packet Monit allows (8 bytes: no timestamp, still a reply)', async () => {
    const { result } = await probe('ping count 1 size 8', { address: '127.0.0.1' });
    assert.equal(result.status, 'ok', result.message);
    assert.equal(result.message, 'ping test succeeded [response time unknown]');
  });

  it('fails a response time limit nothing can meet', async () => {
    const { result } = await probe('ping count 1 responsetime < 0 ms', { address: '127.0.0.1' });
    assert.equal(result.code, 'icmp.responsetime');
    assert.match(result.message, /^ping response time \d+\.\d{3} ms doesn't match limit \[responsetime < 0 ms\]$/);
  });

  it('fails with icmp.address when the host has no address of the family', async () => {
    const { result } = await probe('ping4', { address: '::1' });
    assert.deepEqual([result.status, result.code, result.message], ['failed', 'icmp.address', "ping test failed -- '::1' is not an IPv4 address"]);
  });

  it('is an error, not a failure of the host, when the system ping cannot run', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const { result } = await probe('ping count 1', { address: '127.0.0.1' });
      assert.equal(result.status, 'error');
      assert.equal(result.code, 'icmp.spawn');
    } finally {
      process.env.PATH = path;
    }
  });

  describe('a host in a network namespace the test creates (needs root and iproute2)', () => {
    // Names and a 198.18.0.0/15 (benchmark) /30 of this process's own.
    const tag = String(process.pid % 100_000);
    const ns = `wardenping${tag}`;
    const [outer, inner] = [`wpa${tag}`, `wpb${tag}`];
    const third = process.pid % 256;
    const [near, far] = [`198.18.${third}.1`, `198.18.${third}.2`];

    before(() => {
      ip('netns', 'add', ns);
      ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
      ip('link', 'set', inner, 'netns', ns);
      ip('addr', 'add', `${near}/30`, 'dev', outer);
      ip('link', 'set', outer, 'up');
      ip('-n', ns, 'addr', 'add', `${far}/30`, 'dev', inner);
      ip('-n', ns, 'link', 'set', inner, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    });

    after(() => {
      // Deleting the namespace deletes the veth pair (and its route) with it.
      try { ip('netns', 'del', ns); } catch { /* already gone */ }
      try { ip('link', 'del', outer); } catch { /* went with the namespace */ }
    });

    it('gets a reply from the namespace end of the veth pair', async () => {
      const { result } = await probe('ping count 3 timeout 1 second', { address: far });
      assert.equal(result.status, 'ok', result.message);
    });

    it('fails once the host is gone, after count × timeout', async () => {
      // The far address is removed rather than the namespace, so the route stays on the veth
      // and no echo request ever leaves towards a real network.
      ip('-n', ns, 'addr', 'flush', 'dev', inner);
      const started = Date.now();
      const { result } = await probe('ping count 2 timeout 1 second', { address: far });
      const took = Date.now() - started;
      assert.deepEqual([result.status, result.code, result.message], ['failed', 'icmp.failed', 'ping test failed']);
      assert.ok(took >= 1500 && took < 5000, `took ${took} ms`);
    });
  });
});
