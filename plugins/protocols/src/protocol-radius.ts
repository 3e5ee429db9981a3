// Dialogue (RADIUS Status-Server, RFC 5997 §3, https://www.rfc-editor.org/rfc/rfc5997#section-3;
// RFC 2865 §3; Monit's src/protocols/radius.c), over UDP only:
//   C: code 12 (Status-Server), id 0, length 38, 16 random authenticator bytes,
//      Message-Authenticator (80, 18, HMAC-MD5 of the packet keyed by the secret)
//   S: code 2 (Access-Accept) or 5 (Accounting-Response), id 0, length = datagram length,
//      well-formed attributes; the response authenticator MD5(packet with our authenticator + secret)
//      is checked and, as Monit, a mismatch is only logged.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError } from './io.js';
import { parseOptionWords } from './options.js';
import { exchange } from './udp.js';

/** `protocol radius [secret S]` options (Monit C78). */
export interface RadiusOptions {
  readonly secret: string;
}

const DEFAULT_SECRET = 'testing123';

function request(secret: string): Buffer {
  const packet = Buffer.alloc(38);
  packet[0] = 12;
  packet.writeUInt16BE(38, 2);
  randomBytes(16).copy(packet, 4);
  packet[20] = 0x50;
  packet[21] = 18;
  createHmac('md5', secret).update(packet).digest().copy(packet, 22);
  return packet;
}

function judge(reply: Buffer, sent: Buffer, secret: string, warn: (m: string) => void): string {
  if (reply.length < 20) throw new DialogueError('RADIUS: error receiving response -- too short');
  if (reply[0] !== 2 && reply[0] !== 5) throw new DialogueError('RADIUS: Invalid reply code -- error occurred');
  if (reply[1] !== 0) throw new DialogueError('RADIUS: ID mismatch');
  if (reply[2] !== 0) throw new DialogueError('RADIUS: message is too long');
  if (reply[3] !== reply.length) throw new DialogueError('RADIUS: message has invalid length');
  for (let at = 20; at < reply.length;) {
    const left = reply.length - at;
    if (left < 2) throw new DialogueError('RADIUS: message is malformed');
    const len = reply[at + 1]!;
    if (len < 2) throw new DialogueError('RADIUS: message has invalid attribute length');
    if (len > left) throw new DialogueError('RADIUS: message has attribute that is too long');
    at += len;
  }
  const check = Buffer.from(reply);
  sent.copy(check, 4, 4, 20);
  const expected = createHash('md5').update(check).update(secret).digest();
  if (!expected.equals(reply.subarray(4, 20))) warn('RADIUS: message fails authentication');
  return reply[0] === 2 ? 'Access-Accept' : 'Accounting-Response';
}

/** `protocol radius [secret S]`, `type udp` only (Monit H21). */
export const radiusProtocol = defineProtocol<RadiusOptions>({
  name: 'radius',
  summary: 'RADIUS: Status-Server answered by Access-Accept or Accounting-Response (UDP)',
  defaultPort: 1812,
  options: { secret: { type: 'string', description: 'The shared secret.', default: DEFAULT_SECRET } },
  parse(ts) {
    let secret = DEFAULT_SECRET;
    parseOptionWords(ts, { secret: () => { secret = ts.string('a secret'); } });
    return { secret };
  },
  speak: (ctx) =>
    converse(async () => {
      if (!ctx.udp) throw new DialogueError('Radius protocol test supports UDP only');
      const secret = ctx.options?.secret ?? DEFAULT_SECRET;
      const sent = request(secret);
      const reply = await exchange(ctx.udp, sent, ctx.signal, () => true);
      return judge(reply, sent, secret, (m) => ctx.log.info(m));
    }),
});
