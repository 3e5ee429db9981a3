// Dialogue (spamd protocol, https://svn.apache.org/repos/asf/spamassassin/trunk/spamd/PROTOCOL;
// Monit's src/protocols/spamassassin.c):
//   C: PING SPAMC/1.2\r\n
//   S: SPAMD/1.5 0 PONG\r\n
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** `protocol spamassassin`. */
export const spamassassinProtocol = defineProtocol<undefined>({
  name: 'spamassassin',
  summary: 'spamd: PING answered by PONG',
  defaultPort: 783,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, 'PING SPAMC/1.2\r\n');
      const line = await reader.line('SPAMASSASSIN PONG');
      if (!line.startsWith('SPAMD/') || !line.includes(' PONG')) throw new DialogueError(`SPAMASSASSIN: invalid PONG response -- ${quote(line)}`);
      return 'PONG';
    }),
});
