// Dialogue (Monit's src/protocols/dwp.c; HTTP status line, RFC 9112 §4,
// https://www.rfc-editor.org/rfc/rfc9112#section-4):
//   C: HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n
//   S: <proto> <status> …     a status ≥ 400 (or no status) is an error
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** `protocol dwp`: Oracle's database wire protocol listener answers HTTP HEAD. */
export const dwpProtocol = defineProtocol<undefined>({
  name: 'dwp',
  summary: 'DWP: HEAD / answered with an HTTP status below 400',
  defaultPort: 80,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, 'HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n');
      const line = await reader.line('DWP response');
      const m = /^\S+ (\d+)/.exec(line);
      if (!m || Number(m[1]) >= 400) throw new DialogueError(`DWP error: ${quote(line)}`);
      return `status ${m[1]}`;
    }),
});
