// Dialogue (PostgreSQL frontend/backend protocol 3.0,
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP):
//   C: StartupMessage  int32 length, int32 196608 (3.0), "user\0root\0database\0root\0\0"
//   S: 'R' Authentication request, or 'E' ErrorResponse (no such role: the server still speaks pgsql)
//   C: 'X' Terminate
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';

function startup(): Buffer {
  const body = Buffer.from('user\0root\0database\0root\0\0', 'latin1');
  const msg = Buffer.alloc(8 + body.length);
  msg.writeInt32BE(msg.length, 0);
  msg.writeInt32BE(196608, 4);
  body.copy(msg, 8);
  return msg;
}

/** `protocol pgsql`. */
export const pgsqlProtocol = defineProtocol<undefined>({
  name: 'pgsql',
  summary: 'PostgreSQL: a startup message answered by an authentication request or error',
  defaultPort: 5432,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, startup());
      const head = await reader.bytes(5, 'startup response');
      const type = String.fromCharCode(head[0]!);
      const length = head.readInt32BE(1);
      if ((type !== 'R' && type !== 'E') || length < 4 || length > 65536) throw new DialogueError('PGSQL: invalid startup response');
      await send(ctx.socket, Buffer.from([0x58, 0, 0, 0, 4]));
      return type === 'R' ? 'authentication requested' : 'server answered with an error (startup refused)';
    }),
});
