// Dialogue (RFC 959, https://www.rfc-editor.org/rfc/rfc959):
//   S: 220 greeting           (multi-line `220-…` allowed)
//   C: QUIT   S: 221
import { defineProtocol } from '@warden/sdk';
import { converse, Reader, send } from './io.js';
import { expectReply } from './reply.js';

/** `protocol ftp`. */
export const ftpProtocol = defineProtocol<undefined>({
  name: 'ftp',
  summary: 'FTP: 220 greeting, QUIT answered by 221',
  defaultPort: 21,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await expectReply(reader, [220], 'FTP greeting');
      await send(ctx.socket, 'QUIT\r\n');
      await expectReply(reader, [221], 'QUIT response');
      return 'FTP dialogue complete';
    }),
});
