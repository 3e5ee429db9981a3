import assert from 'node:assert/strict';
import { isParseError } from '@warden/sdk';
import { parseTest } from '@warden/sdk/testing';
import { pickAddress } from './host-address.js';
import { pingConfig } from './ping-runner.js';
import { pingTest } from './ping-test.js';

const parse = (text: string) => parseTest(pingTest, text, { polarity: 'failed', serviceType: 'host' });

function rejects(text: string, message: string): void {
  assert.throws(() => parse(text), (err: unknown) => {
    assert.ok(isParseError(err), String(err));
    assert.equal(err.message, message);
    return true;
  });
}

describe('icmp.ping: parse (C59, C60)', () => {
  it("has Monit's defaults: count 3, size 64, timeout 5 s", () => {
    const { options, describe: text, condition } = parse('ping');
    assert.deepEqual(options, { keyword: 'ping', count: 3, size: 64, timeoutSeconds: 5, timeoutMs: 17_000 });
    assert.equal(text, 'ping count 3 size 64 with timeout 5 s');
    assert.deepEqual(condition, { kind: 'state' });
  });

  it('reads every option in any order, noise words included', () => {
    const { options } = parse('ping6 count 5 size 128 with timeout 10 seconds and responsetime < 20 ms via address ::1');
    assert.equal(options.family, 6);
    assert.equal(options.count, 5);
    assert.equal(options.size, 128);
    assert.equal(options.timeoutSeconds, 10);
    assert.equal(options.timeoutMs, 52_000, 'the runner waits for every request plus a margin');
    assert.deepEqual(options.responseTime, { op: '<', value: 20, unit: 'ms', text: '20 ms' });
    assert.equal(options.source, '::1');
    assert.deepEqual(parse('ping4 and response time < 1 s').options.responseTime, { op: '<', value: 1000, unit: 'ms', text: '1 s' });
    assert.equal(parse('ping timeout 500 ms').options.timeoutSeconds, 1, 'the system ping takes whole seconds');
  });

  it('reads the old spelling `icmp type echo`', () => {
    const { options, describe: text } = parse('icmp type echo count 3 with timeout 3 seconds');
    assert.equal(options.keyword, 'icmp');
    assert.equal(text, 'icmp type echo count 3 size 64 with timeout 3 s');
  });

  it("refuses sizes out of range in Monit's words (H04) and bad counts", () => {
    rejects('ping size 4', "The minimum ping size is 8 bytes '4'");
    rejects('ping size 1500', "The maximum ping size is 1492 bytes '1500'");
    rejects('ping count 0', "The ping count must be between 1 and 20 '0'");
    rejects('icmp type timestamp', "syntax error 'timestamp', expected 'echo'");
  });

  it('is a test of check host only (H05: syntax error on a process comes from core)', () => {
    assert.deepEqual(pingTest.serviceTypes, ['host']);
  });

  it('builds one system ping: -c 1 ending at the first reply, one request per timeout', () => {
    const o = parse('ping count 3 size 8 timeout 2 seconds').options;
    assert.deepEqual(pingConfig(o, 4), { numeric: true, timeout: 2, deadline: 6, min_reply: 1, v6: false, extra: ['-i', '2', '-s', '0', '-4'] });
    assert.equal(pingConfig(parse('ping').options, 6).packetSize, 56);
    assert.equal(pingConfig(parse('ping').options, 6).v6, true);
  });

  it('picks the address from the host target by family', () => {
    const host = { host: 'dual.test', resolution: { addresses: [{ address: '127.0.0.1', family: 4 as const }, { address: '::1', family: 6 as const }] } };
    assert.deepEqual(pickAddress(host, undefined), { address: '127.0.0.1', family: 4 });
    assert.deepEqual(pickAddress(host, 6), { address: '::1', family: 6 });
    assert.deepEqual(pickAddress({ host: 'x', resolution: { addresses: [{ address: '::1', family: 6 }] } }, 4), { error: "'x' has no IPv4 address" });
    assert.deepEqual(pickAddress({ host: 'x', resolution: { error: "Cannot translate 'x' to IP address" } }, undefined), { error: "Cannot translate 'x' to IP address" });
    assert.deepEqual(pickAddress({ address: '::1' }, undefined), { address: '::1', family: 6 });
    assert.deepEqual(pickAddress({ address: '::1' }, 4), { error: "'::1' is not an IPv4 address" });
    assert.deepEqual(pickAddress({ address: 'localhost' }, 6), { address: 'localhost', family: 6 });
  });
});
