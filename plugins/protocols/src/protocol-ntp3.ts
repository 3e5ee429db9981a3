// Dialogue (NTPv3 client mode, RFC 1305 / RFC 5905 §7.3, https://www.rfc-editor.org/rfc/rfc5905#section-7.3):
//   C: 48-byte packet, first byte 0x1b (LI 0, VN 3, mode 3 = client), rest 0
//   S: 48+ bytes, mode 4 (server), version 3 or 4; stratum 0 is a kiss-o'-death
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';
import { exchange } from './udp.js';

function judge(reply: Buffer): string {
  const mode = reply[0]! & 0x07;
  const version = (reply[0]! >> 3) & 0x07;
  if (reply.length < 48 || mode !== 4) throw new DialogueError(`NTP: invalid response (mode ${mode})`);
  if (version < 3) throw new DialogueError(`NTP: unsupported version ${version}`);
  if (reply[1] === 0) throw new DialogueError(`NTP: kiss-o'-death ${reply.subarray(12, 16).toString('latin1')}`);
  return `stratum ${reply[1]}`;
}

/** `protocol ntp3` (UDP unless `type tcp` is written). */
export const ntp3Protocol = defineProtocol<undefined>({
  name: 'ntp3',
  summary: 'NTP version 3: a client request answered in server mode',
  defaultPort: 123,
  transport: 'udp',
  speak: (ctx) =>
    converse(async () => {
      const request = Buffer.alloc(48);
      request[0] = 0x1b;
      if (ctx.udp) return judge(await exchange(ctx.udp, request, ctx.signal, (r) => r.length >= 48));
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, request);
      return judge(await reader.bytes(48, 'NTP response'));
    }),
});
