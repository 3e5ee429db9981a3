// Dialogue (Oracle TNS; Monit's src/protocols/tns.c, the packet layout of
// https://www.wireshark.org/docs/dfref/t/tns.html):
//   C: CONNECT packet (type 1, 87 bytes) carrying (CONNECT_DATA=(COMMAND=ping))
//   S: 8-byte header, byte 4 = packet type 4 (REFUSE): the listener's answer to a ping
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';

const PING = Buffer.concat([
  Buffer.from('00570000010000000136012c000008007fffa30a00000100001d003a000000000000000000000000000000000b1c000000000000000000000000', 'hex'),
  Buffer.from('(CONNECT_DATA=(COMMAND=ping))', 'latin1'),
]);
const TYPE_REFUSE = 4;

/** `protocol tns`: the Oracle listener's ping. */
export const tnsProtocol = defineProtocol<undefined>({
  name: 'tns',
  summary: 'Oracle TNS: a ping CONNECT answered by REFUSE',
  defaultPort: 1521,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, PING);
      const head = await reader.bytes(5, 'TNS ping response');
      if (head[4] !== TYPE_REFUSE) throw new DialogueError('TNS: invalid ping response');
      return 'listener answered the ping';
    }),
});
