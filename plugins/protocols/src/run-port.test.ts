import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { scriptedServer } from '@warden/sdk/testing';
import { LOCALHOST, probe } from './probe-helper.js';
import { closedPort, floodServer, silentServer } from './test-peers.js';

const OK_LINE = /^succeeded testing protocol \[DEFAULT\] at \[127\.0\.0\.1\]:\d+ \[TCP\/IP\] \[response time \d+\.\d{3} ms\]$/;

describe('protocols: port tests against loopback peers', function () {
  this.timeout(10_000);

  it('a closed port fails in Monit\'s words', async () => {
    const port = await closedPort();
    const r = await probe(`port ${port}`);
    assert.equal(r.status, 'failed');
    assert.equal(r.code, 'protocols.connection');
    assert.equal(r.message, `failed protocol test [DEFAULT] at [127.0.0.1]:${port} [TCP/IP] -- Connection refused`);
    assert.equal(r.metrics.get('probe_success'), 0);
  });

  it('a closed UDP port answers a DNS query with ICMP unreachable: Connection refused', async () => {
    const port = await closedPort();
    const r = await probe(`port ${port} type udp protocol dns with timeout 1 s`);
    assert.equal(r.message, `failed protocol test [DNS] at [127.0.0.1]:${port} [UDP/IP] -- Connection refused`);
  });

  it('an open port succeeds with the response time', async () => {
    const peer = await silentServer();
    try {
      const r = await probe(`port ${peer.port}`);
      assert.equal(r.status, 'ok', r.message);
      assert.match(r.message, OK_LINE);
      assert.equal(typeof r.value, 'number');
    } finally {
      await peer.close();
    }
  });

  it('a server that accepts and never answers fails within the timeout', async () => {
    const peer = await silentServer();
    try {
      const r = await probe(`port ${peer.port} protocol smtp with timeout 300 ms`);
      assert.equal(r.code, 'protocols.timeout', r.message);
      assert.match(r.message, /\[SMTP\] .* -- no response within 0\.3 s$/);
      assert.ok(r.elapsedMs >= 290 && r.elapsedMs < 1000, `took ${r.elapsedMs} ms`);
    } finally {
      await peer.close();
    }
  });

  it('retry N makes N attempts, each with its own timeout', async () => {
    let connections = 0;
    const server = createServer((s) => { connections++; s.destroy(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await probe(`port ${(server.address() as AddressInfo).port} protocol redis retry 3`);
      assert.equal(r.status, 'failed');
      assert.equal(connections, 3);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('100 MB of garbage is cut off after a bounded read', async () => {
    const peer = await floodServer(100 * 1024 * 1024);
    try {
      for (const rule of ['protocol smtp', 'expect "^220"', 'protocol ssh', 'protocol mysql']) {
        const r = await probe(`port ${peer.port} ${rule}`);
        assert.equal(r.status, 'failed', rule);
        assert.ok(r.elapsedMs < 2000, `${rule} took ${r.elapsedMs} ms`);
      }
      const smtp = await probe(`port ${peer.port} protocol smtp`);
      assert.match(smtp.message, /SMTP greeting exceeds 65536 bytes/);
    } finally {
      await peer.close();
    }
  });

  it('a host name that does not resolve fails as protocols.resolve', async () => {
    const r = await probe('host nosuch.invalid port 80');
    assert.equal(r.code, 'protocols.resolve');
    assert.match(r.message, /at \[nosuch\.invalid\]:80 \[TCP\/IP\] -- Cannot translate 'nosuch\.invalid' to IP address/);
  });

  it('ipv6 on a host with only an IPv4 address fails as protocols.resolve', async () => {
    const r = await probe('port 80 ipv6', LOCALHOST);
    assert.equal(r.code, 'protocols.resolve');
    assert.match(r.message, /has no IPv6 address/);
  });

  describe('send/expect against a scripted server', () => {
    it('succeeds when every expect matches', async () => {
      const peer = await scriptedServer([{ send: '220 hello\r\n' }, { expect: /^HELO/ }, { send: '250 ok\r\n' }]);
      try {
        const r = await probe(`port ${peer.port} expect "^220" send "HELO x\\r\\n" expect "^250"`);
        assert.equal(r.status, 'ok', r.message);
        assert.deepEqual(peer.received[0], ['HELO x\r\n']);
      } finally {
        await peer.close();
      }
    });

    it('fails with the line that did not match', async () => {
      const peer = await scriptedServer([{ send: '554 go away\r\n' }]);
      try {
        const r = await probe(`port ${peer.port} expect "^220"`);
        assert.equal(r.code, 'protocols.expect');
        assert.match(r.message, /EXPECT: regular expression '\^220' doesn't match '554 go away'$/);
      } finally {
        await peer.close();
      }
    });
  });

  describe('line protocols against scripted servers', () => {
    const dialogues: Array<[string, Parameters<typeof scriptedServer>[0]]> = [
      ['ssh', [{ send: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n' }, { expect: /^SSH-2\.0-/ }]],
      ['pop', [{ send: '+OK Dovecot ready.\r\n' }, { expect: /^QUIT/ }, { send: '+OK Logging out\r\n' }]],
      ['imap', [{ send: '* OK [CAPABILITY IMAP4rev1] ready\r\n' }, { expect: /^002 LOGOUT/ }, { send: '* BYE Logging out\r\n002 OK Logout completed.\r\n' }]],
      ['ftp', [{ send: '220-Welcome\r\n220 ProFTPD\r\n' }, { expect: /^QUIT/ }, { send: '221 Goodbye.\r\n' }]],
      ['nntp', [{ send: '200 news ready\r\n' }, { expect: /^QUIT/ }, { send: '205 bye\r\n' }]],
      ['clamav', [{ expect: /^PING/ }, { send: 'PONG\n' }]],
      ['lmtp', [{ send: '220 lmtp\r\n' }, { expect: /^LHLO/ }, { send: '250-x\r\n250 PIPELINING\r\n' }, { expect: /^QUIT/ }, { send: '221 bye\r\n' }]],
    ];
    for (const [name, script] of dialogues) {
      it(`${name}: speaks the dialogue`, async () => {
        const peer = await scriptedServer(script);
        try {
          const r = await probe(`port ${peer.port} protocol ${name}`);
          assert.equal(r.status, 'ok', r.message);
          assert.match(r.message, new RegExp(`^succeeded testing protocol \\[${name.toUpperCase()}\\]`));
        } finally {
          await peer.close();
        }
      });
    }

    it('ssh: a server that is not SSH fails as protocols.protocol', async () => {
      const peer = await scriptedServer([{ send: 'HTTP/1.1 400 Bad Request\r\n' }, { close: true }]);
      try {
        const r = await probe(`port ${peer.port} protocol ssh`);
        assert.equal(r.code, 'protocols.protocol');
        assert.match(r.message, /-- connection closed by the server while waiting for SSH identification$/);
      } finally {
        await peer.close();
      }
    });

    it('pop: an -ERR greeting fails', async () => {
      const peer = await scriptedServer([{ send: '-ERR busy\r\n' }]);
      try {
        const r = await probe(`port ${peer.port} protocol pop`);
        assert.match(r.message, /POP greeting error: -ERR busy$/);
      } finally {
        await peer.close();
      }
    });
  });
});
