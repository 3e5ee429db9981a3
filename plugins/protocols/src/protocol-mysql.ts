// Dialogue (MySQL client/server protocol, https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html):
//   S: packet header (3-byte length, 1-byte sequence 0), then Handshake V10: byte 0x0a,
//      NUL-terminated server version, thread id, salt part 1, capabilities, …, salt part 2, auth plugin
//      (0xff ERR packet: "Host is not allowed", too many connections)
//   [mysqls: C: SSLRequest (CLIENT_SSL), TLS handshake on the same connection]
//   Without `username` we stop after the handshake: the server answered in its protocol.
//   With it: C: HandshakeResponse41, mysql_native_password scramble
//            S: OK (0x00) | ERR (0xff) | AuthSwitchRequest (0xfe, answered when it asks for mysql_native_password)
//            C: COM_QUIT
import { createHash } from 'node:crypto';
import { defineProtocol, type ProbeResult, type ProtocolContext } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';
import { CREDENTIAL_DOCS, parseCredentials, type Credentials } from './options.js';

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const NATIVE = 'mysql_native_password';
const MAX_PACKET = 16 * 1024;

interface Greeting {
  readonly version: string;
  readonly capabilities: number;
  readonly salt: Buffer;
  readonly plugin: string;
}

async function readPacket(reader: Reader, what: string): Promise<{ seq: number; payload: Buffer }> {
  const header = await reader.bytes(4, what);
  const length = header.readUIntLE(0, 3);
  if (length < 1 || length > MAX_PACKET) throw new DialogueError(`MYSQL: invalid ${what} packet length ${length}`);
  return { seq: header[3]!, payload: await reader.bytes(length, what) };
}

function packet(seq: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = seq & 0xff;
  return Buffer.concat([header, payload]);
}

function serverError(payload: Buffer, what: string): DialogueError {
  const code = payload.length >= 3 ? payload.readUInt16LE(1) : 0;
  return new DialogueError(`MYSQL: ${what} ${code}: ${quote(payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('utf8'))}`);
}

function parseGreeting(payload: Buffer): Greeting {
  if (payload[0] === 0xff) throw serverError(payload, 'server error');
  if (payload[0] !== 0x0a) throw new DialogueError(`MYSQL: unsupported protocol version ${payload[0]}`);
  let end = payload.indexOf(0, 1);
  if (end < 0) end = payload.length;
  const version = payload.subarray(1, end).toString('latin1');
  const at = end + 1 + 4; // thread id
  const salt1 = payload.subarray(at, at + 8);
  const low = payload.length >= at + 11 ? payload.readUInt16LE(at + 9) : 0;
  const high = payload.length >= at + 16 ? payload.readUInt16LE(at + 14) : 0;
  const saltLength = payload[at + 16] ?? 0;
  const rest = at + 27;
  const salt2 = payload.subarray(rest, rest + Math.max(12, saltLength - 9));
  const pluginEnd = payload.indexOf(0, rest + Math.max(13, saltLength - 8));
  const plugin = pluginEnd > 0 ? payload.subarray(rest + Math.max(13, saltLength - 8), pluginEnd).toString('latin1') : NATIVE;
  return { version, capabilities: low | (high << 16), salt: Buffer.concat([salt1, salt2]), plugin };
}

/** mysql_native_password: SHA1(password) XOR SHA1(salt + SHA1(SHA1(password))). */
export function nativeScramble(password: string, salt: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const sha1 = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha1')).digest();
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  const mix = sha1(salt.subarray(0, 20), sha1(stage1));
  return Buffer.from(stage1.map((b, i) => b ^ mix[i]!));
}

function baseCapabilities(tls: boolean): number {
  return CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH | (tls ? CLIENT_SSL : 0);
}

/** The 32 bytes that open a HandshakeResponse41 and are, alone, the SSLRequest. */
function responseHead(tls: boolean): Buffer {
  const head = Buffer.alloc(32);
  head.writeUInt32LE(baseCapabilities(tls) >>> 0, 0);
  head.writeUInt32LE(MAX_PACKET, 4);
  head[8] = 33; // utf8_general_ci
  return head;
}

async function login(socket: import('node:net').Socket, reader: Reader, g: Greeting, c: Credentials, seq: number, tls: boolean): Promise<string> {
  const auth = nativeScramble(c.password ?? '', g.salt);
  await send(socket, packet(seq, Buffer.concat([
    responseHead(tls), Buffer.from(`${c.username}\0`, 'utf8'), Buffer.from([auth.length]), auth, Buffer.from(`${NATIVE}\0`, 'latin1'),
  ])));
  for (let round = 0; round < 2; round++) {
    const reply = await readPacket(reader, 'login response');
    const kind = reply.payload[0];
    if (kind === 0x00) {
      await send(socket, packet(0, Buffer.from([0x01])));
      return `logged in as ${quote(c.username ?? '')}, server version ${quote(g.version)}`;
    }
    if (kind === 0xff) throw serverError(reply.payload, 'login failed, error');
    if (kind !== 0xfe || round > 0) throw new DialogueError(`MYSQL: unexpected login response 0x${(kind ?? 0).toString(16)}`);
    const end = reply.payload.indexOf(0, 1);
    const plugin = reply.payload.subarray(1, end < 0 ? reply.payload.length : end).toString('latin1');
    if (plugin !== NATIVE) throw new DialogueError(`MYSQL: authentication method ${quote(plugin)} is not supported`);
    const salt = reply.payload.subarray(end + 1, end + 21);
    await send(socket, packet(reply.seq + 1, nativeScramble(c.password ?? '', salt)));
  }
  throw new DialogueError('MYSQL: login did not complete');
}

function speakMysql(tls: boolean) {
  return (ctx: ProtocolContext<Credentials>): Promise<ProbeResult> =>
    converse(async () => {
      let socket = ctx.socket;
      let reader = new Reader(socket, ctx.signal);
      const greeting = parseGreeting((await readPacket(reader, 'handshake')).payload);
      let seq = 1;
      if (tls) {
        if (!(greeting.capabilities & CLIENT_SSL)) throw new DialogueError('MYSQL: the server does not support SSL');
        if (!ctx.startTls) throw new DialogueError('MYSQL: STARTTLS is not available on this connection');
        await send(socket, packet(seq++, responseHead(true)));
        socket = await ctx.startTls();
        reader = new Reader(socket, ctx.signal);
      }
      const creds = ctx.options ?? {};
      if (creds.username === undefined) return `server version ${quote(greeting.version)}`;
      return login(socket, reader, greeting, creds, seq, tls);
    });
}

/** `protocol mysql [username U] [password P]`. */
export const mysqlProtocol = defineProtocol<Credentials>({
  name: 'mysql',
  summary: 'MySQL/MariaDB: the server handshake packet (protocol 10), and a login when a username is given',
  defaultPort: 3306,
  options: CREDENTIAL_DOCS,
  parse: (ts) => parseCredentials(ts),
  speak: speakMysql(false),
});

/** `protocol mysqls [username U] [password P]`: MySQL upgraded to TLS by an SSLRequest. */
export const mysqlsProtocol = defineProtocol<Credentials>({
  name: 'mysqls',
  summary: 'MySQL over TLS: handshake, SSLRequest, TLS, and a login when a username is given',
  defaultPort: 3306,
  options: CREDENTIAL_DOCS,
  parse: (ts) => parseCredentials(ts),
  speak: speakMysql(true),
});
