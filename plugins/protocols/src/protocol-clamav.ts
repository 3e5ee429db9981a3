// Dialogue (clamd(8), https://linux.die.net/man/8/clamd — "PING: check the server's state"):
//   C: PING\n   S: PONG\n
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** `protocol clamav`. */
export const clamavProtocol = defineProtocol<undefined>({
  name: 'clamav',
  summary: 'clamd: PING answered by PONG',
  defaultPort: 3310,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, 'PING\n');
      const line = await reader.line('PING response');
      if (line.trim() !== 'PONG') throw new DialogueError(`CLAMAV: invalid response '${quote(line)}'`);
      return 'PONG';
    }),
});
