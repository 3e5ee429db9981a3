import assert from 'node:assert/strict';
import { parseTest } from '@warden/sdk/testing';
import { parsePort, lookupProtocol } from './probe-helper.js';
import { portTest } from './port-test.js';

describe('protocols: parsing port and unixsocket rules', () => {
  it('reads a bare port: default protocol, TCP, 5 s, one attempt', () => {
    const o = parsePort('port 80');
    assert.deepEqual(o.endpoint, { kind: 'net', port: 80 });
    assert.equal(o.protocol.name, 'default');
    assert.equal(o.transport, 'tcp');
    assert.equal(o.timeoutMs, 5000);
    assert.equal(o.attempts, 1);
  });

  it('skips `ssl disable` and `disable ssl`, noise in Monit (L4)', () => {
    assert.equal(parsePort('port 443 ssl disable').tls, undefined);
    assert.equal(parsePort('port 443 disable ssl').tls, undefined);
  });

  it('reads every option in any order; the deadline covers every attempt', () => {
    const o = parsePort('host db.example port 53 ipv6 type udp protocol dns with timeout 2 seconds retry 3 responsetime < 100 ms');
    assert.deepEqual(o.endpoint, { kind: 'net', port: 53, host: 'db.example', family: 6 });
    assert.equal(o.transport, 'udp');
    assert.equal(o.protocol.name, 'dns');
    assert.equal(o.attemptTimeoutMs, 2000);
    assert.equal(o.timeoutMs, 6000);
    assert.deepEqual(o.responseTime, { op: '<', value: 100, unit: 'ms', text: '100 ms' });
  });

  it('ntp3 is UDP unless told otherwise; imaps, pops and smtps turn TLS on', () => {
    assert.equal(parsePort('port 123 protocol ntp3').transport, 'udp');
    assert.ok(parsePort('port 993 protocol imaps').tls);
    assert.equal(parsePort('port 143 protocol imap').tls, undefined);
  });

  it('reads TLS options and certificate tests (sha256 too, where Monit 5.33 refuses it)', () => {
    const o = parsePort('port 443 with ssl { verify: enable, selfsigned: reject } and certificate valid > 30 days certificate checksum sha1 = "1ED948A6F4258ACAB964227EF4EB19FCC453B0F8"');
    assert.deepEqual(o.tls, { verify: true, allowSelfSigned: false });
    assert.deepEqual(o.certificate, { validDays: 30, checksum: { algorithm: 'sha1', hex: '1ed948a6f4258acab964227ef4eb19fcc453b0f8' } });
    const s = parsePort('port 443 type tcpssl certificate checksum "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"');
    assert.equal(s.certificate?.checksum?.algorithm, 'sha256');
  });

  it('`ssl` on ports 25, 143 and 587 means STARTTLS for smtp and imap (Monit C51); `starttls` asks for it anywhere', () => {
    assert.equal(parsePort('port 587 protocol smtp with ssl').tls?.starttls, true);
    assert.equal(parsePort('port 143 protocol imap tls').tls?.starttls, true);
    assert.equal(parsePort('port 465 protocol smtp with ssl').tls?.starttls, undefined);
    assert.equal(parsePort('port 2525 protocol smtp starttls').tls?.starttls, true);
    assert.throws(() => parsePort('port 6379 protocol redis starttls'), /STARTTLS is supported with protocol smtp, imap or mysqls only/);
  });

  it('reads send/expect steps in order, with \\0xHH escapes from the source text', () => {
    const o = parsePort('port 25 expect "^220" send "QUIT\\r\\n\\0x41" expect "^221"');
    assert.equal(o.protocol.name, 'generic');
    const steps = (o.protocolOptions as { steps: Array<{ send?: Buffer; text?: string }> }).steps;
    assert.equal(steps[0]!.text, '^220');
    assert.deepEqual([...steps[1]!.send!], [...Buffer.from('QUIT\r\nA')]);
    assert.equal(steps[2]!.text, '^221');
  });

  it('reads unixsocket PATH', () => {
    const o = parsePort('unixsocket /run/redis.sock protocol redis', 'process');
    assert.deepEqual(o.endpoint, { kind: 'unix', path: '/run/redis.sock' });
  });

  it('rejects an unknown protocol as Monit does (H22)', () => {
    assert.throws(() => parsePort('port 80 protocol gopher'), /syntax error 'gopher'/);
  });

  it('rejects expect with a named protocol as Monit does (H12)', () => {
    assert.throws(() => parsePort('port 6379 protocol redis expect "x"'), /The EXPECT statement is not allowed in the REDIS protocol context '"x"'/);
  });

  it('rejects a bare websocket as Monit does (H16)', () => {
    const ts = () => parseTest(portTest, 'port 38 protocol websocket', { polarity: 'failed', serviceType: 'host', protocol: lookupProtocol });
    assert.throws(ts, /syntax error ''/);
    assert.equal(parsePort('port 38 protocol websocket request "/ws"').protocol.name, 'websocket');
  });

  it('rejects a checksum of no known length, a port out of range, a certificate test without TLS', () => {
    assert.throws(() => parsePort('port 443 ssl certificate checksum "abc123"'), /Unknown checksum type/);
    assert.throws(() => parsePort('port 70000'), /Invalid port number '70000'/);
    assert.throws(() => parsePort('port 443 certificate valid > 30 days'), /needs TLS/);
  });

  it('`if succeeded port …` inverts the state', () => {
    const parsed = parseTest(portTest, 'port 80', { polarity: 'succeeded', serviceType: 'host', protocol: lookupProtocol });
    assert.deepEqual(parsed.condition, { kind: 'state', invert: true });
    assert.equal(parsed.event, 'connection');
    assert.equal(parsed.describe, 'port 80 protocol default');
  });
});
