import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { probe } from './probe-helper.js';
import { closedPort, floodServer, selfSignedCert, silentServer, starttlsSmtpServer, startDaemon, tlsServer, type Peer } from './test-peers.js';

/** Needs Debian's redis-server, memcached, dnsmasq-base, python3 (smtpd) and openssl: missing ones fail, never skip. */
describe('protocols: real servers on loopback', function () {
  this.timeout(20_000);

  it('redis: PING/PONG with redis-server', async () => {
    const port = await closedPort();
    const redis = await startDaemon(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], port);
    try {
      const r = await probe(`port ${port} protocol redis`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, new RegExp(`^succeeded testing protocol \\[REDIS\\] at \\[127\\.0\\.0\\.1\\]:${port} \\[TCP/IP\\]`));
    } finally {
      await redis.close();
    }
  });

  it('memcache: binary NOOP with memcached', async () => {
    const port = await closedPort();
    const mc = await startDaemon(['memcached', '-l', '127.0.0.1', '-p', String(port), '-U', '0', '-u', 'nobody', '-m', '8'], port);
    try {
      const r = await probe(`port ${port} protocol memcache`);
      assert.equal(r.status, 'ok', r.message);
    } finally {
      await mc.close();
    }
  });

  it('smtp: greeting, EHLO, QUIT with Python\'s smtpd server', async () => {
    const port = await closedPort();
    const smtp = await startDaemon(['python3', '-W', 'ignore', '-m', 'smtpd', '-n', '-c', 'DebuggingServer', `127.0.0.1:${port}`], port);
    try {
      const r = await probe(`port ${port} protocol smtp`);
      assert.equal(r.status, 'ok', r.message);
    } finally {
      await smtp.close();
    }
  });

  it('dns: TCP and UDP queries with dnsmasq', async () => {
    const port = await closedPort();
    const dns = await startDaemon(['dnsmasq', '--keep-in-foreground', '--no-resolv', '--no-hosts', '--port', String(port), '--listen-address', '127.0.0.1', '--bind-interfaces', '--user=root', '--pid-file='], port);
    try {
      const tcp = await probe(`port ${port} protocol dns`);
      assert.equal(tcp.status, 'ok', tcp.message);
      const udp = await probe(`port ${port} type udp protocol dns`);
      assert.equal(udp.status, 'ok', udp.message);
      assert.match(udp.message, /\[UDP\/IP\]/);
    } finally {
      await dns.close();
    }
  });

  describe('TLS with a self-signed certificate made by openssl', () => {
    const cert = selfSignedCert(365);
    let peer: Peer;
    before(async () => { peer = await tlsServer(cert); });
    after(() => peer.close());

    it('connects, speaks over TLS and passes `certificate valid > 30 days`', async () => {
      const r = await probe(`port ${peer.port} with ssl protocol redis certificate valid > 30 days`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, /\[TCP\/IP SSL\]/);
      assert.equal(r.metrics.get('probe_success'), 1);
      const expiry = r.metrics.get('probe_ssl_earliest_cert_expiry')!;
      assert.ok(Math.abs(expiry - (Date.now() / 1000 + 365 * 86400)) < 2 * 86400, `expiry ${expiry}`);
    });

    it('fails `certificate valid > 400 days` on a one-year certificate', async () => {
      const r = await probe(`port ${peer.port} with ssl certificate valid > 400 days`);
      assert.equal(r.code, 'protocols.certificate');
      assert.match(r.message, /certificate expires in 36[45] days, limit is valid > 400 days$/);
    });

    it('passes the right checksum (sha1, sha256) and fails a wrong one', async () => {
      for (const alg of ['sha1', 'sha256', 'md5'] as const) {
        const hex = createHash(alg).update(cert.der).digest('hex').toUpperCase();
        const r = await probe(`port ${peer.port} ssl certificate checksum ${alg} "${hex}"`);
        assert.equal(r.status, 'ok', r.message);
      }
      const wrong = await probe(`port ${peer.port} ssl certificate checksum sha1 "1ED948A6F4258ACAB964227EF4EB19FCC453B0F8"`);
      assert.equal(wrong.code, 'protocols.certificate');
      assert.match(wrong.message, /does not match the expected SHA1 1ED948A6F4258ACAB964227EF4EB19FCC453B0F8$/);
    });

    it('rejects the self-signed certificate with verify: enable, selfsigned: reject', async () => {
      const r = await probe(`port ${peer.port} ssl { verify: enable, selfsigned: reject }`);
      assert.equal(r.code, 'protocols.tls');
      assert.match(r.message, /self.signed/i);
    });

    it('STARTTLS: smtp upgrades, checks the certificate, and fails when STARTTLS is not offered', async () => {
      const smtp = await starttlsSmtpServer(cert);
      const plain = await starttlsSmtpServer(cert, false);
      try {
        const r = await probe(`port ${smtp.port} protocol smtp starttls certificate valid > 30 days`);
        assert.equal(r.status, 'ok', r.message);
        assert.match(r.message, /\[SMTP\] .* \[TCP\/IP SSL\]/);
        const sha1 = createHash('sha1').update(cert.der).digest('hex');
        assert.equal((await probe(`port ${smtp.port} protocol smtp starttls certificate checksum "${sha1}"`)).status, 'ok');
        const pinned = await probe(`port ${smtp.port} protocol smtp starttls certificate checksum "1ED948A6F4258ACAB964227EF4EB19FCC453B0F8"`);
        assert.equal(pinned.code, 'protocols.certificate');
        const strict = await probe(`port ${smtp.port} protocol smtp starttls ssl { verify: enable, selfsigned: reject }`);
        assert.equal(strict.code, 'protocols.tls', strict.message);
        const none = await probe(`port ${plain.port} protocol smtp starttls`);
        assert.equal(none.code, 'protocols.protocol');
        assert.match(none.message, /STARTTLS is not offered by the server$/);
      } finally {
        await Promise.all([smtp.close(), plain.close()]);
      }
    });

    it('a TLS test against a plain server fails the handshake', async () => {
      const plain = await silentServer();
      try {
        const r = await probe(`port ${plain.port} ssl with timeout 500 ms`);
        assert.equal(r.status, 'failed');
      } finally {
        await plain.close();
      }
    });
  });

  it('ntp3: a UDP request answered in server mode', async () => {
    const udp = createSocket('udp4');
    udp.on('message', (msg, rinfo) => {
      const reply = Buffer.alloc(48);
      reply[0] = 0x1c; // LI 0, VN 3, mode 4
      reply[1] = 2;
      if (msg[0] === 0x1b) udp.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const r = await probe(`port ${udp.address().port} protocol ntp3`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, /\[NTP3\] at .* \[UDP\/IP\]/);
    } finally {
      udp.close();
    }
  });

  it('websocket: upgrade, ping, pong', async () => {
    const server: Server = createServer((s) => {
      s.on('error', () => s.destroy());
      let seen = '';
      s.on('data', (d) => {
        seen += d.toString('latin1');
        if (seen.includes('\r\n\r\n') && !seen.includes('done')) {
          seen += 'done';
          s.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
        } else if (d[0] === 0x89) s.write(Buffer.from([0x8a, 0x00]));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await probe(`port ${(server.address() as AddressInfo).port} protocol websocket request "/ws"`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, /at \[127\.0\.0\.1\]:\d+\/ws \[TCP\/IP\]/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('leaks no sockets: refused, timed out, flooded, TLS and successful tests leave no handle behind', async () => {
    const handles = () => process.getActiveResourcesInfo().filter((h) => /TCP|UDP|Pipe|TLS/i.test(h)).length;
    const flood = await floodServer(10 * 1024 * 1024);
    const silent = await silentServer();
    const tls = await tlsServer(selfSignedCert(30));
    const closed = await closedPort();
    const before = handles();
    for (let i = 0; i < 20; i++) {
      await Promise.all([
        probe(`port ${closed}`),
        probe(`port ${silent.port} protocol redis with timeout 50 ms`),
        probe(`port ${flood.port} protocol smtp`),
        probe(`port ${tls.port} ssl protocol redis`),
        probe(`port ${silent.port}`),
        probe(`port ${closed} type udp protocol dns with timeout 50 ms`),
      ]);
    }
    await new Promise((r) => setTimeout(r, 100));
    const after = handles();
    await Promise.all([flood.close(), silent.close(), tls.close()]);
    assert.ok(after <= before, `sockets before ${before}, after ${after}: ${process.getActiveResourcesInfo().join(', ')}`);
  });
});
