// Dialogue (RFC 3977, https://www.rfc-editor.org/rfc/rfc3977):
//   S: 200 or 201 greeting
//   C: QUIT   S: 205
import { defineProtocol } from '@warden/sdk';
import { converse, Reader, send } from './io.js';
import { expectReply } from './reply.js';

/** `protocol nntp`. */
export const nntpProtocol = defineProtocol<undefined>({
  name: 'nntp',
  summary: 'NNTP: 200/201 greeting, QUIT answered by 205',
  defaultPort: 119,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await expectReply(reader, [200, 201], 'NNTP greeting');
      await send(ctx.socket, 'QUIT\r\n');
      await expectReply(reader, [205], 'QUIT response');
      return 'NNTP dialogue complete';
    }),
});
