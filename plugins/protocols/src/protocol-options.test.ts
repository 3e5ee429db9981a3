import assert from 'node:assert/strict';
import { parseTest } from '@warden/sdk/testing';
import { lookupProtocol, parsePort } from './probe-helper.js';
import { portTest } from './port-test.js';

/** Monit 5.33's protocol names, in the order of the reference's H16 example. */
const MONIT_PROTOCOLS = ['clamav', 'default', 'dns', 'dwp', 'fail2ban', 'ftp', 'gps', 'imap', 'imaps', 'ldap2', 'ldap3', 'lmtp',
  'memcache', 'mongodb', 'mqtt', 'mysql', 'mysqls', 'nntp', 'ntp3', 'pgsql', 'pop', 'pops', 'postfix-policy', 'radius', 'rdate',
  'redis', 'rsync', 'sieve', 'sip', 'smtp', 'smtps', 'spamassassin', 'ssh', 'tns'];

describe('protocols: protocol names and their options', () => {
  it('knows every Monit protocol of this plugin by name, bare (H16; http/https are http-check\'s)', () => {
    for (const name of MONIT_PROTOCOLS) {
      const o = parsePort(`port 20 ${name === 'radius' ? 'type udp ' : ''}protocol ${name}`);
      assert.equal(o.protocol.name, name);
    }
  });

  it('needs at least one limit after apache-status (M13) and reads them joined by `or`', () => {
    assert.throws(() => parseTest(portTest, 'port 80 protocol apache-status', { polarity: 'failed', serviceType: 'host', protocol: lookupProtocol }), /syntax error ''/);
    const o = parsePort('port 80 protocol apache-status path /status username "u" password "p" loglimit > 10% or waitlimit < 20 %');
    assert.deepEqual(o.protocolOptions, {
      path: '/status', username: 'u', password: 'p',
      limits: [{ name: 'loglimit', op: '>', percent: 10 }, { name: 'waitlimit', op: '<', percent: 20 }],
    });
  });

  it('radius: UDP only, with Monit\'s words (H21); `secret` defaults to testing123', () => {
    assert.throws(() => parsePort('port 1812 protocol radius'), /Radius protocol test supports UDP only ''/);
    assert.deepEqual(parsePort('port 1812 type udp protocol radius').protocolOptions, { secret: 'testing123' });
    assert.deepEqual(parsePort('port 1812 protocol radius secret "x" type udp').protocolOptions, { secret: 'x' });
  });

  it('sip: target and maxforward; outside 0–255 falls back to 70 as Monit', () => {
    assert.deepEqual(parsePort('port 5060 type udp protocol sip target "a@b" maxforward 0').protocolOptions, { target: 'a@b', maxForward: 0 });
    assert.deepEqual(parsePort('port 5060 protocol sip maxforward 300').protocolOptions, { target: 'monit@foo.bar', maxForward: 70 });
  });

  it('username/password on mysql, mysqls, pgsql (+ database), smtp, smtps, mqtt', () => {
    for (const name of ['mysql', 'mysqls', 'smtp', 'smtps', 'mqtt']) {
      assert.deepEqual(parsePort(`port 1 protocol ${name} username "monit" password "s e c"`).protocolOptions, { username: 'monit', password: 's e c' }, name);
    }
    assert.deepEqual(parsePort('port 5432 protocol pgsql username monit password "x" database "app"').protocolOptions, { username: 'monit', password: 'x', database: 'app' });
  });

  it('mysqls always upgrades with STARTTLS; smtps stays TLS from the first byte', () => {
    assert.deepEqual(parsePort('port 3306 protocol mysqls').tls, { verify: false, allowSelfSigned: true, starttls: true });
    assert.equal(parsePort('port 465 protocol smtps').tls?.starttls, undefined);
  });
});
