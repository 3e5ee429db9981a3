import assert from 'node:assert/strict';
import { isParseError } from '@warden/sdk';
import { parseTest } from '@warden/sdk/testing';
import { snmpTest } from './snmp.js';

const failed = { polarity: 'failed' as const };

function parseError(text: string, ctx = {}): string {
  try {
    parseTest(snmpTest, text, ctx);
  } catch (err) {
    assert.ok(isParseError(err), String(err));
    return err.toString();
  }
  return assert.fail(`'${text}' parsed`);
}

describe('snmp: grammar', () => {
  it('`if failed snmp` alone asks the agent for sysUpTime.0 over v2c "public" on port 161', () => {
    const p = parseTest(snmpTest, 'snmp', failed);
    assert.deepEqual(p.condition, { kind: 'state' });
    assert.equal(p.event, 'connection');
    assert.deepEqual(p.options.query, { kind: 'oid', oid: '1.3.6.1.2.1.1.3.0' });
    assert.deepEqual(p.options.connection, { port: 161, version: '2c', community: 'public', retries: 1 });
    assert.equal(p.options.timeoutMs, 5000);
    assert.equal(p.describe, 'snmp agent');
  });

  it('reads connection words before and after the query, in any order', () => {
    const p = parseTest(snmpTest, 'snmp version 2c community "private" port 1161 oid "1.3.6.1.2.1.1.5.0" with timeout 2 seconds retry 0', failed);
    assert.deepEqual(p.options.connection, { port: 1161, version: '2c', community: 'private', retries: 0 });
    assert.equal(p.options.timeoutMs, 2000);
    assert.equal(p.describe, 'snmp oid "1.3.6.1.2.1.1.5.0"');
  });

  it('reads a v3 user with auth and priv; a user alone implies version 3', () => {
    const p = parseTest(snmpTest, 'snmp version 3 user "warden" auth sha "authpass123" priv aes "privpass123" oid "1.3.6.1.2.1.1.3.0"', failed);
    assert.deepEqual(p.options.connection.user, { name: 'warden', auth: { protocol: 'sha', key: 'authpass123' }, priv: { protocol: 'aes', key: 'privpass123' } });
    assert.equal(parseTest(snmpTest, 'snmp user warden', failed).options.connection.version, '3');
  });

  it('compares an OID: `snmp oid "…" > 5` is a compare rule', () => {
    const p = parseTest(snmpTest, 'snmp port 161 oid "1.3.6.1.4.1.2021.11.9.0" > 5');
    assert.equal(p.condition.kind, 'compare');
    assert.equal(p.describe, 'snmp oid "1.3.6.1.4.1.2021.11.9.0" > 5');
  });

  it('`if changed snmp oid "…"` is a changed rule', () => {
    assert.equal(parseTest(snmpTest, 'snmp oid "1.3.6.1.2.1.1.5.0"', { polarity: 'changed' }).condition.kind, 'changed');
  });

  it('named shortcuts: load, disk, interface, uptime', () => {
    const load = parseTest(snmpTest, 'snmp load (5min) > 4');
    assert.deepEqual(load.options.query, { kind: 'load', minutes: 5 });
    assert.equal(load.describe, 'snmp load (5min) > 4');
    assert.equal(load.event, 'resource');
    const disk = parseTest(snmpTest, 'snmp disk "/" usage > 80%');
    assert.deepEqual(disk.options.query, { kind: 'disk', path: '/', measure: 'used-percent' });
    assert.equal(disk.describe, 'snmp disk "/" usage > 80%');
    assert.deepEqual(parseTest(snmpTest, 'snmp disk "/var" free < 1 GB').options.query, { kind: 'disk', path: '/var', measure: 'free-bytes' });
    const down = parseTest(snmpTest, 'snmp interface "eth0" down');
    assert.deepEqual(down.condition, { kind: 'compare', comparison: { op: '!=', value: 1, unit: 'none', text: '1' } });
    assert.equal(down.event, 'link');
    const up = parseTest(snmpTest, 'snmp interface eth0 up');
    assert.equal(up.condition.kind === 'compare' && up.condition.comparison.op, '=');
    const uptime = parseTest(snmpTest, 'snmp uptime < 10 minutes');
    assert.equal(uptime.condition.kind === 'compare' && uptime.condition.comparison.value, 600_000);
    assert.equal(uptime.event, 'uptime');
  });

  it('errors name the file, the line and what was expected', () => {
    assert.match(parseError('snmp load > 4'), /^test\.monitrc:1: syntax error '>', expected a load period/);
    assert.match(parseError('snmp load (2min) > 4'), /syntax error '2'/);
    assert.match(parseError('snmp oid "1.3.6.1.2.1.1.3.0"'), /syntax error '', expected a comparison/);
    assert.match(parseError('snmp oid "sysUpTime" > 1'), /Invalid OID/);
    assert.match(parseError('snmp version 4', failed), /syntax error '4', expected an SNMP version/);
    assert.match(parseError('snmp version 3', failed), /SNMP version 3 needs a user/);
    assert.match(parseError('snmp user u priv aes "k"', failed), /priv\) needs authentication/);
    assert.match(parseError('snmp user u auth sha1 "k"', failed), /syntax error 'sha1', expected an auth protocol/);
    assert.match(parseError('snmp version 2c user u', failed), /SNMP version 2c has no user/);
    assert.match(parseError('snmp port 70000', failed), /Invalid port number '70000'/);
    assert.match(parseError('snmp load (1min) > 4', failed), /syntax error 'load'/);
  });
});
