// Dialogue (RESP, https://redis.io/docs/latest/develop/reference/protocol-spec/):
//   C: *1\r\n$4\r\nPING\r\n
//   S: +PONG\r\n             (an error reply `-NOAUTH …` still proves a Redis server)
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** `protocol redis`: PING, expect PONG. */
export const redisProtocol = defineProtocol<undefined>({
  name: 'redis',
  summary: 'Redis: PING answered by +PONG',
  defaultPort: 6379,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, '*1\r\n$4\r\nPING\r\n');
      const line = await reader.line('PING response');
      if (line === '+PONG') return 'PONG';
      if (line.startsWith('-NOAUTH')) return 'PING needs authentication, server answered';
      throw new DialogueError(`PONG error: invalid response '${quote(line)}'`);
    }),
});
