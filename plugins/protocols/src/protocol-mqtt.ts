// Dialogue (MQTT 3.1.1, https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html §3.1, §3.2, §3.14;
// Monit's src/protocols/mqtt.c):
//   C: CONNECT  0x10 len, "MQTT", level 4, flags (clean session [+ username, password]),
//      keep-alive, client id "warden-<hex>" [, username, password]
//   S: CONNACK  0x20 0x02, ack flags, return code (0 accepted; 1–5 refused)
//   C: DISCONNECT 0xe0 0x00
import { randomBytes } from 'node:crypto';
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';
import { CREDENTIAL_DOCS, parseCredentials, type Credentials } from './options.js';

const REFUSED: Readonly<Record<number, string>> = {
  1: 'unacceptable protocol version', 2: 'identifier rejected', 3: 'server unavailable',
  4: 'bad user name or password', 5: 'not authorized',
};
const CLEAN_SESSION = 0x02;
const PASSWORD_FLAG = 0x40;
const USERNAME_FLAG = 0x80;

function field(text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(data.length);
  return Buffer.concat([length, data]);
}

/** The remaining-length varint of MQTT §2.2.3. */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

function connect(c: Credentials): Buffer {
  let flags = CLEAN_SESSION;
  const payload = [field(`warden-${randomBytes(6).toString('hex')}`)];
  if (c.username !== undefined) { flags |= USERNAME_FLAG; payload.push(field(c.username)); }
  if (c.password !== undefined) { flags |= PASSWORD_FLAG; payload.push(field(c.password)); }
  const body = Buffer.concat([field('MQTT'), Buffer.from([4, flags, 0, 60]), ...payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/** `protocol mqtt [username U] [password P]`. */
export const mqttProtocol = defineProtocol<Credentials>({
  name: 'mqtt',
  summary: 'MQTT 3.1.1: CONNECT accepted by CONNACK, then DISCONNECT',
  defaultPort: 1883,
  options: CREDENTIAL_DOCS,
  parse: (ts) => parseCredentials(ts),
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, connect(ctx.options ?? {}));
      const ack = await reader.bytes(4, 'MQTT CONNACK');
      if (ack[0] !== 0x20 || ack[1] !== 0x02) throw new DialogueError(`MQTT: unexpected response to CONNECT (0x${ack.toString('hex')})`);
      const code = ack[3]!;
      if (code !== 0) throw new DialogueError(`MQTT: connection refused -- ${REFUSED[code] ?? `return code ${code}`}`);
      await send(ctx.socket, Buffer.from([0xe0, 0x00]));
      return 'connection accepted';
    }),
});
