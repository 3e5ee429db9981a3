import assert from 'node:assert/strict';
import type { HttpdSettings } from '../config/model.js';
import { AccessControl } from './access.js';

function settings(allowHosts: string[]): HttpdSettings {
  return { readOnly: false, allowHosts, users: [], htpasswd: [], pamGroups: [], signature: true, pos: { file: 'monitrc', line: 1 } };
}

/** The allow list built from `entries`, what it warned, and a check of one client address. */
async function allowList(entries: string[]) {
  const warnings: string[] = [];
  const access = await AccessControl.create(settings(entries), (m) => warnings.push(m));
  const lets = (client: string) => access.check(client, undefined).ok;
  return { warnings, lets };
}

describe('AccessControl allow list', () => {
  it('resolves `allow localhost` to both loopback addresses, IPv4-mapped ones included', async () => {
    const { warnings, lets } = await allowList(['localhost']);
    assert.deepEqual(warnings, []);
    assert.equal(lets('127.0.0.1'), true);
    assert.equal(lets('::1'), true);
    assert.equal(lets('::ffff:127.0.0.1'), true);
    assert.equal(lets('127.0.0.2'), false);
    assert.equal(lets('10.1.2.3'), false);
  });

  it('takes IPv4 and IPv6 addresses and networks, by prefix length or by mask', async () => {
    const { warnings, lets } = await allowList(['192.0.2.7', '2001:db8::1', '10.0.0.0/255.0.0.0', '198.51.100.0/24', 'fe80::/10', 'fe80::1%eth0']);
    assert.deepEqual(warnings, []);
    for (const ok of ['192.0.2.7', '::ffff:192.0.2.7', '2001:db8::1', '10.200.3.4', '198.51.100.254', 'fe80::abcd']) assert.equal(lets(ok), true, ok);
    for (const no of ['192.0.2.8', '2001:db8::2', '11.0.0.1', '198.51.101.1', 'fe00::1', '']) assert.equal(lets(no), false, no);
  });

  it('warns of a network that is not an address or whose mask is not contiguous, and lets nobody in through it', async () => {
    const { warnings, lets } = await allowList(['::g1/64', '300.1.1.1/8', '10.0.0.0/255.0.255.0', '127.0.0.1']);
    assert.deepEqual(warnings, ["invalid allow option '::g1/64'", "invalid allow option '300.1.1.1/8'", "invalid allow option '10.0.0.0/255.0.255.0'"]);
    assert.equal(lets('127.0.0.1'), true);
    assert.equal(lets('10.1.1.1'), false);
  });
});
