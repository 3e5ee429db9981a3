// Dialogue (ManageSieve, RFC 5804 §1.7, https://www.rfc-editor.org/rfc/rfc5804#section-1.7;
// Monit's src/protocols/sieve.c):
//   S: capability lines …, then OK …
//   C: LOGOUT\r\n   S: OK …
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** Capability lines read before giving up on the greeting's OK. */
const MAX_LINES = 256;

/** `protocol sieve`. */
export const sieveProtocol = defineProtocol<undefined>({
  name: 'sieve',
  summary: 'ManageSieve: capabilities then OK, LOGOUT answered by OK',
  defaultPort: 4190,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      for (let i = 0; i < MAX_LINES; i++) {
        if (!(await reader.line('SIEVE server capabilities')).startsWith('OK')) continue;
        await send(ctx.socket, 'LOGOUT\r\n');
        const bye = await reader.line('SIEVE LOGOUT response');
        if (!bye.startsWith('OK')) throw new DialogueError(`SIEVE: invalid LOGOUT response -- ${quote(bye)}`);
        return 'OK';
      }
      throw new DialogueError('SIEVE: data error');
    }),
});
