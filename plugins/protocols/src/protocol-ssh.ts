// Dialogue (RFC 4253 §4.2, https://www.rfc-editor.org/rfc/rfc4253#section-4.2):
//   S: [other lines…] SSH-2.0-software [comments]\r\n
//   C: SSH-2.0-warden\r\n      (so the server logs a client, not a scanner, then we close)
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** RFC 4253 lets a server send other lines before its identification; bound them. */
const MAX_PREAMBLE_LINES = 16;

/** `protocol ssh`. */
export const sshProtocol = defineProtocol<undefined>({
  name: 'ssh',
  summary: 'SSH: the server identification line SSH-2.0-…',
  defaultPort: 22,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal, 8192);
      for (let i = 0; i < MAX_PREAMBLE_LINES; i++) {
        const line = await reader.line('SSH identification');
        if (line.startsWith('SSH-')) {
          if (!/^SSH-(2\.0|1\.99)-/.test(line)) throw new DialogueError(`SSH protocol version not supported: ${quote(line)}`);
          await send(ctx.socket, 'SSH-2.0-warden\r\n');
          return `server ${quote(line)}`;
        }
      }
      throw new DialogueError('SSH identification not found');
    }),
});
