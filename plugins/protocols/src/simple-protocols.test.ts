import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { against, probe } from './probe-helper.js';
import type { PeerScript } from './test-peers.js';



const RDATE_NOW = () => { const b = Buffer.alloc(4); b.writeUInt32BE(Math.floor(Date.now() / 1000) + 2208988800); return b; };
const MONGO_OK = Buffer.concat([
  Buffer.from('3500000007000000010000000100000000000000' + '0000000000000000' + '00000000' + '01000000', 'hex'),
  Buffer.from('11000000016f6b00000000000000f03f00', 'hex'),
]);

/** Scripted peers answer with the bytes of each protocol's specification (or Monit's source, for the test it makes). */
describe('protocols: line and binary dialogues against scripted peers', function () {
  this.timeout(5000);

  const cases: Array<[string, PeerScript, string, RegExp | 'ok']> = [
    ['dwp', async (s, i) => { assert.equal(await i.line(), 'HEAD / HTTP/1.1'); s.end('HTTP/1.1 200 OK\r\n\r\n'); }, 'protocol dwp', 'ok'],
    ['dwp', async (s, i) => { await i.line(); s.end('HTTP/1.1 503 Busy\r\n\r\n'); }, 'protocol dwp', /DWP error: HTTP\/1\.1 503 Busy$/],
    ['gps', async (s, i) => { assert.equal(await i.line(), 'G'); s.end('GPSD,G=GPS\r\n'); }, 'protocol gps', 'ok'],
    ['gps', async (s, i) => { await i.line(); s.end('GPSD,G=?\r\n'); }, 'protocol gps', /GPS error \(no device\): GPSD,G=\?$/],
    ['postfix-policy', async (s, i) => {
      const lines: string[] = [];
      for (let l = await i.line(); l !== ''; l = await i.line()) lines.push(l);
      assert.deepEqual(lines.slice(0, 2), ['request=smtpd_access_policy', 'protocol_state=RCPT']);
      s.end('action=DUNNO\n\n');
    }, 'protocol postfix-policy', 'ok'],
    ['postfix-policy', async (s, i) => { await i.line(); s.end('\n'); }, 'protocol postfix-policy', /POSTFIX-POLICY error: no action returned$/],
    ['sieve', async (s, i) => { s.write('"IMPLEMENTATION" "Dovecot Pigeonhole"\r\n"SIEVE" "fileinto"\r\nOK "ready"\r\n'); assert.equal(await i.line(), 'LOGOUT'); s.end('OK "Logout completed."\r\n'); }, 'protocol sieve', 'ok'],
    ['sieve', async (s, i) => { s.write('OK "ready"\r\n'); await i.line(); s.end('NO "no"\r\n'); }, 'protocol sieve', /SIEVE: invalid LOGOUT response -- NO "no"$/],
    ['spamassassin', async (s, i) => { assert.equal(await i.line(), 'PING SPAMC/1.2'); s.end('SPAMD/1.5 0 PONG\r\n'); }, 'protocol spamassassin', 'ok'],
    ['spamassassin', async (s, i) => { await i.line(); s.end('SPAMD/1.0 76 Bad header line\r\n'); }, 'protocol spamassassin', /SPAMASSASSIN: invalid PONG response/],
    ['rdate', async (s) => { s.end(RDATE_NOW()); }, 'protocol rdate', 'ok'],
    ['rdate', async (s) => { s.end(Buffer.from([0, 0, 0, 1])); }, 'protocol rdate', /RDATE error: time does not match system time$/],
    ['tns', async (s, i) => {
      const head = await i.bytes(8);
      assert.equal(head.readUInt16BE(0), 0x57);
      const rest = await i.bytes(0x57 - 8);
      assert.match(rest.toString('latin1'), /\(CONNECT_DATA=\(COMMAND=ping\)\)$/);
      s.end(Buffer.from('0008000004000000', 'hex'));
    }, 'protocol tns', 'ok'],
    ['tns', async (s, i) => { await i.bytes(0x57); s.end(Buffer.from('0008000002000000', 'hex')); }, 'protocol tns', /TNS: invalid ping response$/],
    ['ldap2', async (s, i) => {
      assert.equal((await i.bytes(14)).toString('hex'), '300c020100600702010204008000');
      s.write(Buffer.from('300c02010061070a010004000400', 'hex'));
      assert.equal((await i.bytes(7)).toString('hex'), '30050201014200');
      s.end();
    }, 'protocol ldap2', 'ok'],
    ['ldap2', async (s, i) => { await i.bytes(14); s.end(Buffer.from('300c02010061070a013104000400', 'hex')); }, 'protocol ldap2', /LDAP: anonymous bind failed$/],
    ['mongodb', async (s, i) => {
      const q = await i.bytes(58);
      assert.equal(q.readInt32LE(12), 2004);
      assert.match(q.toString('latin1'), /admin\.\$cmd\0/);
      s.end(MONGO_OK);
    }, 'protocol mongodb', 'ok'],
    ['mongodb', async (s, i) => { await i.bytes(58); const bad = Buffer.from(MONGO_OK); bad[8] = 9; s.end(bad); }, 'protocol mongodb', /unexpected response id \(9\)$/],
    ['apache-status', async (s, i) => {
      assert.equal(await i.line(), 'GET /server-status?auto HTTP/1.1');
      s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nTotal Accesses: 3\r\nScoreboard: W_______........\r\n');
    }, 'protocol apache-status waitlimit < 10% or replylimit > 50%', 'ok'],
    ['apache-status', async (s, i) => {
      await i.line();
      s.end('HTTP/1.1 200 OK\r\n\r\nScoreboard: WWWW____\r\n');
    }, 'protocol apache-status waitlimit < 10% or replylimit > 25%', /APACHE-STATUS: error -- 50 percent of processes are sending a reply$/],
    ['apache-status', async (s, i) => { await i.line(); s.end('HTTP/1.1 401 Unauthorized\r\n\r\n'); }, 'protocol apache-status path /status username "u" password "p" dnslimit > 1%', /server returned status 401$/],
    ['sip', async (s, i) => {
      assert.match(await i.line(), /^OPTIONS sip:ops@example\.com SIP\/2\.0$/);
      const headers: string[] = [];
      for (let l = await i.line(); l !== ''; l = await i.line()) headers.push(l);
      assert.ok(headers.includes('Max-Forwards: 7'), headers.join('|'));
      s.end('SIP/2.0 200 OK\r\n\r\n');
    }, 'protocol sip target "ops@example.com" maxforward 7', 'ok'],
    ['sip', async (s, i) => { await i.line(); s.end('SIP/2.0 404 Not Found\r\n\r\n'); }, 'protocol sip', /SIP error: Server returned status 404$/],
  ];
  for (const [name, script, words, expected] of cases) {
    it(`${name}: ${expected === 'ok' ? 'succeeds' : `fails: ${expected.source}`}`, async () => {
      const r = await against(script, `port PORT ${words} with timeout 1 s`);
      if (expected === 'ok') assert.equal(r.status, 'ok', r.message);
      else {
        assert.equal(r.code, 'protocols.protocol', r.message);
        assert.match(r.message, expected);
      }
    });
  }

  it('fail2ban: a pickled ping on a unix socket answered by a pickle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-f2b-'));
    const path = join(dir, 'fail2ban.sock');
    const server: Server = createServer((s) => {
      s.on('error', () => s.destroy());
      s.once('data', (d) => s.end(d.includes('<F2B_END_COMMAND>') ? Buffer.from('80049508000000000000008c04706f6e67942e', 'hex') : Buffer.from('x')));
    });
    await new Promise<void>((r) => server.listen(path, r));
    try {
      const r = await probe(`unixsocket ${path} protocol fail2ban with timeout 1 s`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, /\[FAIL2BAN\] at .* \[UNIX\]/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sip over UDP: Via says UDP with rport, a 200 passes', async () => {
    const udp = createSocket('udp4');
    let via = '';
    udp.on('message', (msg, rinfo) => {
      via = /^Via: .*$/m.exec(msg.toString('latin1'))?.[0] ?? '';
      udp.send('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n', rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const r = await probe(`port ${udp.address().port} type udp protocol sip with timeout 1 s`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(via, /^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bKh[0-9a-f]+;rport\r?$/);
    } finally {
      udp.close();
    }
  });
});
