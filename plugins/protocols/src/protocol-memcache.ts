// Dialogue (memcached binary protocol, https://github.com/memcached/memcached/wiki/BinaryProtocolRevamped):
//   C: 24-byte request header, magic 0x80, opcode 0x0a (NOOP), everything else 0
//   S: 24-byte response header, magic 0x81, opcode 0x0a, status 0x0000
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';

/** `protocol memcache`. */
export const memcacheProtocol = defineProtocol<undefined>({
  name: 'memcache',
  summary: 'memcached binary protocol: NOOP answered with status 0',
  defaultPort: 11211,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      const request = Buffer.alloc(24);
      request[0] = 0x80;
      request[1] = 0x0a;
      await send(ctx.socket, request);
      const header = await reader.bytes(24, 'NOOP response');
      if (header[0] !== 0x81 || header[1] !== 0x0a) throw new DialogueError('MEMCACHE: invalid response header');
      const status = header.readUInt16BE(6);
      if (status !== 0) throw new DialogueError(`MEMCACHE: response status 0x${status.toString(16).padStart(4, '0')}`);
      return 'NOOP answered';
    }),
});
