import assert from 'node:assert/strict';
import { statfsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { nodeDigestSmallFile, nodeStat, type ProbeContext } from '@warden/sdk';
import { CapturedLogger, FakeClock, parseTest, RecordingMetrics, runProbe, testCycle, testSpawner } from '@warden/sdk/testing';
import type { SnmpOptions } from './options.js';
import { snmpTest, type HostTarget } from './snmp.js';
import { startSnmpd, V3_USER, type Snmpd } from './snmpd-fixture.js';

const target = { address: '127.0.0.1' };

describe('snmp: against a real snmpd on loopback', function () {
  this.timeout(15_000);
  let agent: Snmpd;
  before(async () => {
    agent = await startSnmpd();
  });
  after(async () => {
    await agent?.stop();
  });

  // The runner's deadline is the rule's `timeoutMs`, as in core's check-service.
  const probe = (text: string, polarity: 'none' | 'failed' | 'changed' = 'none', state: Record<string, unknown> = {}) => {
    const { options } = parseTest(snmpTest, text.replace('PORT', String(agent.port)), { polarity });
    return runProbe(snmpTest, { options, target, state, timeoutMs: options.timeoutMs });
  };

  it('v2c: `if failed snmp` succeeds and reads sysUpTime', async () => {
    const { result, metrics } = await probe('snmp version 2c community "public" port PORT oid "1.3.6.1.2.1.1.3.0"', 'failed');
    assert.equal(result.status, 'ok', result.message);
    assert.match(result.message, /^connection succeeded to \[127\.0\.0\.1\]:\d+ \[UDP\/IP\] -- oid 1\.3\.6\.1\.2\.1\.1\.3\.0 = /);
    assert.ok(typeof result.value === 'number' && result.value >= 0);
    assert.equal(metrics.values.get('warden_snmp_up'), 1);
  });

  it('v3 authPriv (SHA + AES): succeeds with the right keys', async () => {
    const { result } = await probe(`snmp port PORT user "${V3_USER.name}" auth sha "${V3_USER.authKey}" priv aes "${V3_USER.privKey}" oid "1.3.6.1.2.1.1.5.0"`, 'failed');
    assert.equal(result.status, 'ok', result.message);
    assert.equal(typeof result.value, 'string');
  });

  it('v3 with a wrong auth key fails clearly', async () => {
    const { result } = await probe(`snmp port PORT user "${V3_USER.name}" auth sha "wrongpass123" priv aes "${V3_USER.privKey}" timeout 1 s`, 'failed');
    assert.equal(result.status, 'failed');
    assert.equal(result.code, 'snmp.auth', result.message);
    assert.match(result.message, /-- Wrong Digest/);
    assert.match(result.message, /^failed protocol test \[SNMPv3\]/);
  });

  it('a wrong community gets no answer: snmp.timeout within the rule deadline', async () => {
    const started = Date.now();
    const { result, metrics } = await probe('snmp port PORT community "wrong" timeout 1 s', 'failed');
    const took = Date.now() - started;
    assert.equal(result.status, 'failed');
    assert.equal(result.code, 'snmp.timeout');
    assert.match(result.message, /^failed protocol test \[SNMPv2c\] at \[127\.0\.0\.1\]:\d+ \[UDP\/IP\] -- SNMP request timed out$/);
    assert.ok(took >= 800 && took < 1500, `took ${took} ms`);
    assert.equal(metrics.values.get('warden_snmp_up'), 0);
  });

  it('drops the session after a timeout, so the next cycle starts afresh', async () => {
    const state: Record<string, unknown> = {};
    await probe('snmp port PORT community "wrong" timeout 300 ms retry 0', 'failed', state);
    assert.equal(state.snmpSession, undefined);
  });

  it('an OID that does not exist: snmp.nosuchobject (v2c varbind error and v1 noSuchName)', async () => {
    const v2 = await probe('snmp port PORT oid "1.3.6.1.2.1.1.99.0"', 'failed');
    assert.equal(v2.result.code, 'snmp.nosuchobject', v2.result.message);
    assert.match(v2.result.message, /NoSuchObject at OID 1\.3\.6\.1\.2\.1\.1\.99\.0/);
    const v1 = await probe('snmp port PORT version 1 oid "1.3.6.1.2.1.1.99.0"', 'failed');
    assert.equal(v1.result.code, 'snmp.nosuchobject', v1.result.message);
  });

  it('compares a numeric OID; a string OID in a comparison is snmp.notnumeric', async () => {
    const { result } = await probe('snmp port PORT oid "1.3.6.1.2.1.2.1.0" > 100');
    assert.equal(result.status, 'ok');
    assert.ok(typeof result.value === 'number' && result.value >= 1, 'ifNumber');
    assert.match(result.message, /check succeeded \[current oid 1\.3\.6\.1\.2\.1\.2\.1\.0 = \d+\]/);
    const str = await probe('snmp port PORT oid "1.3.6.1.2.1.1.1.0" > 1');
    assert.equal(str.result.code, 'snmp.notnumeric');
  });

  it('load (1min) reads UCD-SNMP-MIB laLoad, close to /proc/loadavg', async () => {
    const { result } = await probe('snmp port PORT load (1min) > 1000');
    assert.equal(result.status, 'ok', result.message);
    const local = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    assert.ok(typeof result.value === 'number' && Math.abs(result.value - local) < 2, `${result.value} vs ${local}`);
    const matched = await probe('snmp port PORT load (15min) >= 0');
    assert.match(matched.result.message, /^load \(15min\) of [\d.]+ matches resource limit \[load \(15min\) >= 0\]$/);
  });

  it('disk "/" usage reads HOST-RESOURCES-MIB hrStorage, close to statfs', async () => {
    const { result } = await probe('snmp port PORT disk "/" usage > 99%');
    assert.equal(result.status, 'ok', result.message);
    const fs = statfsSync('/');
    const local = ((fs.blocks - fs.bfree) / fs.blocks) * 100;
    assert.ok(typeof result.value === 'number' && Math.abs(result.value - local) < 3, `${result.value} vs ${local}`);
    const missing = await probe('snmp port PORT disk "/no/such/mount" usage > 1%');
    assert.equal(missing.result.code, 'snmp.notfound');
  });

  it('interface "lo" reads IF-MIB ifOperStatus 1 (up); an unknown name is snmp.notfound', async () => {
    const { result } = await probe('snmp port PORT interface "lo" down');
    assert.equal(result.status, 'ok', result.message);
    assert.equal(result.value, 1);
    assert.match(result.message, /^link up on interface "lo" -- up \(ifOperStatus 1, ifAdminStatus up\)$/);
    const missing = await probe('snmp port PORT interface "nosuch0" down');
    assert.equal(missing.result.code, 'snmp.notfound');
  });

  it('uptime reads the host uptime in ms', async () => {
    const { result } = await probe('snmp port PORT uptime < 10 minutes');
    assert.equal(result.status, 'ok', result.message);
    const local = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
    assert.ok(typeof result.value === 'number' && Math.abs(result.value - local) < 5000, `${result.value} vs ${local}`);
  });

  it('reads the address from the protocols plugin\'s host target (resolution, IPv4 first)', async () => {
    const { options } = parseTest(snmpTest, `snmp port ${agent.port}`, { polarity: 'failed' });
    const host = { host: 'localhost', resolution: { addresses: [{ address: '::1', family: 6 as const }, { address: '127.0.0.1', family: 4 as const }] } };
    assert.equal((await runProbe(snmpTest, { options, target: host })).result.status, 'ok');
    const unresolved = { host: 'nowhere.invalid', resolution: { error: "Cannot translate 'nowhere.invalid' to IP address (ENOTFOUND)" } };
    const r = (await runProbe(snmpTest, { options, target: unresolved })).result;
    assert.deepEqual([r.code, r.message], ['snmp.error', "failed protocol test [SNMPv2c] -- Cannot translate 'nowhere.invalid' to IP address (ENOTFOUND)"]);
  });

  it('keeps one session per rule across cycles, and opens a new one when the rule changes', async () => {
    const state: Record<string, unknown> = {};
    await probe('snmp port PORT', 'failed', state);
    const first = state.snmpSession;
    assert.ok(first);
    await probe('snmp port PORT', 'failed', state);
    assert.equal(state.snmpSession, first);
    await probe('snmp port PORT oid "1.3.6.1.2.1.1.99.0"', 'failed', state);
    assert.equal(state.snmpSession, first, 'an answer, even noSuchObject, keeps the session');
    await probe('snmp port PORT community "public" retry 0', 'failed', state);
    assert.notEqual(state.snmpSession, first);
  });

  it('closes the session when the runner aborts the probe', async () => {
    const controller = new AbortController();
    const clock = new FakeClock();
    const state: Record<string, unknown> = {};
    const ctx: ProbeContext<SnmpOptions, HostTarget> = {
      options: parseTest(snmpTest, `snmp port ${agent.port} community "wrong" timeout 30 s`, { polarity: 'failed' }).options,
      target, service: { name: 'router', type: 'host' }, signal: controller.signal, deadline: clock.now() + 30_000, clock,
      log: new CapturedLogger(), metrics: new RecordingMetrics(), spawn: testSpawner, stat: nodeStat, digestSmallFile: nodeDigestSmallFile, state, cycle: testCycle(), settings: {},
    };
    const running = Promise.resolve(snmpTest.run(ctx));
    setTimeout(() => controller.abort(new Error('deadline')), 100);
    await assert.rejects(running, /deadline/);
    assert.equal(state.snmpSession, undefined);
  });
});
