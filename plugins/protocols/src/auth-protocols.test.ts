import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { against, probe } from './probe-helper.js';
import { closedPort, selfSignedCert, startDaemon, type PeerInput, type PeerScript } from './test-peers.js';



function mysqlPacket(seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq;
  return Buffer.concat([h, payload]);
}

const SALT = Buffer.from('0123456789abcdefghij', 'latin1');
/** A MariaDB-like Handshake V10 offering mysql_native_password (and SSL when `ssl`). */
function greeting(ssl: boolean): Buffer {
  const caps = 0x0200 | 0x8000 | 0x80000 | (ssl ? 0x0800 : 0);
  const fixed = Buffer.alloc(4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10);
  SALT.copy(fixed, 4, 0, 8);
  fixed.writeUInt16LE(caps & 0xffff, 13);
  fixed[15] = 33;
  fixed.writeUInt16LE(caps >>> 16, 18);
  fixed[20] = 21;
  return mysqlPacket(0, Buffer.concat([Buffer.from([0x0a]), Buffer.from('10.11.6-MariaDB\0', 'latin1'), fixed, SALT.subarray(8), Buffer.from('\0mysql_native_password\0', 'latin1')]));
}

const sha1 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha1')).digest();
/** The server's side of mysql_native_password: it stores SHA1(SHA1(password)) and unmasks the scramble with it. */
function serverAccepts(scramble: Buffer, password: string): boolean {
  const stored = sha1(sha1(Buffer.from(password)));
  if (scramble.length !== 20) return false;
  const mask = sha1(SALT, stored);
  const stage1 = Buffer.from(scramble.map((b, k) => b ^ mask[k]!));
  return sha1(stage1).equals(stored);
}

/** Reads the HandshakeResponse41 and answers OK when the scramble is `password`'s, else ERR 1045. */
async function mysqlLogin(s: Socket | TLSSocket, input: PeerInput, seq: number, password: string): Promise<void> {
  const head = await input.bytes(4);
  const body = await input.bytes(head.readUIntLE(0, 3));
  assert.equal(head[3], seq);
  const userEnd = body.indexOf(0, 32);
  const user = body.subarray(32, userEnd).toString();
  const auth = body.subarray(userEnd + 2, userEnd + 2 + body[userEnd + 1]!);
  if (user === 'monit' && serverAccepts(auth, password)) s.write(mysqlPacket(seq + 1, Buffer.from('00000002000000', 'hex')));
  else s.end(mysqlPacket(seq + 1, Buffer.concat([Buffer.from('ff1504', 'hex'), Buffer.from("#28000Access denied for user 'monit'")])));
}

function pgMessage(type: string, body: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.write(type);
  h.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([h, body]);
}
const pgAuth = (code: number, extra = Buffer.alloc(0)) => { const b = Buffer.alloc(4); b.writeInt32BE(code); return pgMessage('R', Buffer.concat([b, extra])); };

/** A PostgreSQL peer asking for md5 auth (RFC-free: the protocol page's AuthenticationMD5Password). */
const pgMd5: PeerScript = async (s, i) => {
  const len = (await i.bytes(4)).readInt32BE(0);
  const params = (await i.bytes(len - 4)).subarray(4).toString().split('\0');
  assert.deepEqual(params.slice(0, 4), ['user', 'monit', 'database', 'app']);
  const salt = Buffer.from('a1b2c3d4', 'hex');
  s.write(pgAuth(5, salt));
  assert.equal((await i.bytes(1)).toString(), 'p');
  const body = await i.bytes((await i.bytes(4)).readInt32BE(0) - 4);
  const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
  const expected = `md5${md5(Buffer.concat([Buffer.from(md5('secretmonit')), salt]))}`;
  if (body.toString().replace(/\0$/, '') === expected) s.write(Buffer.concat([pgAuth(0), pgMessage('Z', Buffer.from('I'))]));
  else s.end(pgMessage('E', Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed for user "monit"\0\0')));
};

/** An SMTP peer offering AUTH `mechanism`, accepting monit/secret. */
function smtpAuth(mechanism: 'PLAIN' | 'LOGIN'): PeerScript {
  return async (s, i) => {
    s.write('220 mail ESMTP\r\n');
    await i.line();
    s.write(`250-mail\r\n250 AUTH ${mechanism}\r\n`);
    const auth = await i.line();
    let ok: boolean;
    if (mechanism === 'PLAIN') ok = auth === `AUTH PLAIN ${Buffer.from('\0monit\0secret').toString('base64')}`;
    else {
      s.write('334 VXNlcm5hbWU6\r\n');
      const user = Buffer.from(await i.line(), 'base64').toString();
      s.write('334 UGFzc3dvcmQ6\r\n');
      ok = auth === 'AUTH LOGIN' && user === 'monit' && Buffer.from(await i.line(), 'base64').toString() === 'secret';
    }
    s.write(ok ? '235 2.7.0 Authentication successful\r\n' : '535 5.7.8 Authentication credentials invalid\r\n');
    if (ok && (await i.line()) === 'QUIT') s.end('221 bye\r\n');
  };
}

/** Needs Debian's rsync, mosquitto (with mosquitto_passwd) and openssl: missing ones fail, never skip. */
describe('protocols: credentials, STARTTLS and real daemons', function () {
  this.timeout(10_000);

  it('rsync: greeting, #list, @RSYNCD: EXIT with `rsync --daemon`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-rsync-'));
    const port = await closedPort();
    writeFileSync(join(dir, 'rsyncd.conf'), `address = 127.0.0.1\nuse chroot = no\n[data]\n  path = ${dir}\n  read only = yes\n`);
    const rsync = await startDaemon(['rsync', '--daemon', '--no-detach', `--config=${join(dir, 'rsyncd.conf')}`, `--port=${port}`], port);
    try {
      const r = await probe(`port ${port} protocol rsync with timeout 2 s`);
      assert.equal(r.status, 'ok', r.message);
    } finally {
      await rsync.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mqtt: mosquitto refuses anonymous and wrong passwords, accepts username/password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-mqtt-'));
    const port = await closedPort();
    execFileSync('mosquitto_passwd', ['-c', '-b', join(dir, 'passwd'), 'monit', 'secret'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'mosquitto.conf'), `user root\nlistener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${join(dir, 'passwd')}\npersistence false\n`);
    const broker = await startDaemon(['mosquitto', '-c', join(dir, 'mosquitto.conf')], port);
    try {
      const good = await probe(`port ${port} protocol mqtt username "monit" password "secret" with timeout 2 s`);
      assert.equal(good.status, 'ok', good.message);
      const anonymous = await probe(`port ${port} protocol mqtt with timeout 2 s`);
      assert.match(anonymous.message, /MQTT: connection refused -- not authorized$/);
      const wrong = await probe(`port ${port} protocol mqtt username "monit" password "nope" with timeout 2 s`);
      assert.equal(wrong.code, 'protocols.protocol');
      assert.match(wrong.message, /MQTT: connection refused -- (not authorized|bad user name or password)$/);
    } finally {
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('radius: a signed Status-Server answered by Access-Accept over UDP', async () => {
    const udp = createSocket('udp4');
    let signed = false;
    udp.on('message', (req, rinfo) => {
      const check = Buffer.from(req);
      check.fill(0, 22, 38);
      signed = req[0] === 12 && createHmac('md5', 's3cret').update(check).digest().equals(req.subarray(22, 38));
      const reply = Buffer.alloc(20);
      reply[0] = signed ? 2 : 3;
      reply[1] = req[1]!;
      reply.writeUInt16BE(20, 2);
      req.copy(reply, 4, 4, 20);
      createHash('md5').update(reply).update('s3cret').digest().copy(reply, 4);
      udp.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const r = await probe(`port ${udp.address().port} type udp protocol radius secret "s3cret" with timeout 1 s`);
      assert.equal(r.status, 'ok', r.message);
      assert.ok(signed);
      const wrong = await probe(`port ${udp.address().port} type udp protocol radius with timeout 1 s`);
      assert.match(wrong.message, /RADIUS: Invalid reply code -- error occurred$/);
    } finally {
      udp.close();
    }
  });

  it('mysql: mysql_native_password login with username/password; a wrong password is ERR 1045', async () => {
    const server: PeerScript = async (s, i) => { s.write(greeting(false)); await mysqlLogin(s, i, 1, 'secret'); await i.bytes(5); s.end(); };
    assert.equal((await against(server, 'port PORT protocol mysql username "monit" password "secret" timeout 1 s')).status, 'ok');
    const wrong = await against(server, 'port PORT protocol mysql username monit password "nope" timeout 1 s');
    assert.match(wrong.message, /MYSQL: login failed, error 1045: Access denied for user 'monit'$/);
  });

  it('mysqls: SSLRequest, TLS on the same connection, then the login over TLS', async () => {
    const cert = selfSignedCert(30);
    let sawTls = false;
    const server: PeerScript = async (s, i) => {
      s.write(greeting(true));
      const head = await i.bytes(4);
      const req = await i.bytes(head.readUIntLE(0, 3));
      assert.ok(req.readUInt32LE(0) & 0x800, 'CLIENT_SSL');
      s.removeAllListeners('data');
      s.pause();
      const early = i.rest();
      if (early.length > 0) s.unshift(early);
      const tls = new TLSSocket(s, { isServer: true, key: cert.key, cert: cert.cert });
      tls.on('error', () => tls.destroy());
      tls.once('secure', () => { sawTls = true; });
      await mysqlLogin(tls, inputOf(tls), 2, 'secret');
    };
    const r = await against(server, 'port PORT protocol mysqls username "monit" password "secret" certificate valid > 10 days timeout 2 s');
    assert.equal(r.status, 'ok', r.message);
    assert.ok(sawTls);
    assert.match(r.message, /\[MYSQLS\] .* \[TCP\/IP SSL\]/);
    const plain: PeerScript = async (s) => { s.write(greeting(false)); };
    assert.match((await against(plain, 'port PORT protocol mysqls timeout 1 s')).message, /MYSQL: the server does not support SSL$/);
  });

  it('pgsql: md5 login with username, password, database; a wrong password fails with the server\'s words', async () => {
    assert.equal((await against(pgMd5, 'port PORT protocol pgsql username "monit" password "secret" database "app" timeout 1 s')).status, 'ok');
    const wrong = await against(pgMd5, 'port PORT protocol pgsql username "monit" password "nope" database "app" timeout 1 s');
    assert.match(wrong.message, /PGSQL: login failed -- password authentication failed for user "monit"$/);
    const scram: PeerScript = async (s, i) => { await i.bytes(8); s.write(pgAuth(10, Buffer.from('SCRAM-SHA-256\0\0'))); };
    assert.equal((await against(scram, 'port PORT protocol pgsql username "monit" password "x" timeout 1 s')).status, 'ok');
  });

  it('smtp: AUTH PLAIN and AUTH LOGIN after EHLO; a 535 fails', async () => {
    assert.equal((await against(smtpAuth('PLAIN'), 'port PORT protocol smtp username "monit" password "secret" timeout 1 s')).status, 'ok');
    assert.equal((await against(smtpAuth('LOGIN'), 'port PORT protocol smtp username "monit" password "secret" timeout 1 s')).status, 'ok');
    const wrong = await against(smtpAuth('PLAIN'), 'port PORT protocol smtp username "monit" password "nope" timeout 1 s');
    assert.match(wrong.message, /AUTH response error: 535 5\.7\.8 Authentication credentials invalid$/);
  });
});

/** Lines and bytes from a TLS socket, like the scripted peer's own input. */
function inputOf(s: TLSSocket): PeerInput {
  let buffer = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  s.on('data', (d: Buffer) => { buffer = Buffer.concat([buffer, d]); wake?.(); });
  const take = async (n: number) => {
    for (let k = 0; k < 100 && buffer.length < n; k++) await new Promise<void>((r) => { wake = r; });
    const out = buffer.subarray(0, n);
    buffer = buffer.subarray(n);
    return out;
  };
  return { bytes: take, line: async () => (await take(buffer.indexOf(0x0a) + 1)).toString(), rest: () => buffer };
}
