// Dialogue (Time Protocol, RFC 868, https://www.rfc-editor.org/rfc/rfc868; Monit's src/protocols/rdate.c):
//   S: 4 bytes, seconds since 1900-01-01 00:00 UTC, big-endian, then close
//   Over UDP: C: an empty datagram  S: the same 4 bytes.
//   The server's time must be within 3 s of ours.
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader } from './io.js';
import { exchange } from './udp.js';

/** Seconds from 1900-01-01 to 1970-01-01. */
const EPOCH_1900 = 2208988800;
const TOLERANCE_S = 3;

function judge(reply: Buffer): string {
  const skew = Math.floor(Date.now() / 1000) + EPOCH_1900 - reply.readUInt32BE(0);
  if (Math.abs(skew) > TOLERANCE_S) throw new DialogueError('RDATE error: time does not match system time');
  return `time differs by ${skew} s`;
}

/** `protocol rdate`. */
export const rdateProtocol = defineProtocol<undefined>({
  name: 'rdate',
  summary: 'Time protocol (RFC 868): the server time within 3 s of ours',
  defaultPort: 37,
  speak: (ctx) =>
    converse(async () => {
      if (ctx.udp) return judge(await exchange(ctx.udp, Buffer.alloc(0), ctx.signal, (r) => r.length >= 4));
      const reader = new Reader(ctx.socket, ctx.signal);
      return judge(await reader.bytes(4, 'RDATE time'));
    }),
});
