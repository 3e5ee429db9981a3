// Dialogue (MongoDB wire protocol, OP_QUERY/OP_REPLY,
// https://www.mongodb.com/docs/manual/legacy-opcodes/; BSON https://bsonspec.org/spec.html;
// Monit's src/protocols/mongodb.c):
//   C: OP_QUERY (2004), request id 1, "admin.$cmd", {ping: 1.0}
//   S: OP_REPLY (1), responseTo 1, 20 bytes of reply fields, then the document {ok: 1.0}
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';

const PING = Buffer.concat([
  Buffer.from('3a00000001000000ffffffffd4070000' + '00000000', 'hex'),
  Buffer.from('admin.$cmd\0', 'latin1'),
  Buffer.from('00000000ffffffff', 'hex'),
  Buffer.from('130000000170696e6700000000000000f03f00', 'hex'),
]);
const OK = Buffer.from('11000000016f6b00000000000000f03f00', 'hex');
const OP_REPLY = 1;
/** Flags, cursor id, starting from, number returned: between the header and the document. */
const REPLY_FIELDS = 20;

/** `protocol mongodb`. */
export const mongodbProtocol = defineProtocol<undefined>({
  name: 'mongodb',
  summary: 'MongoDB: {ping: 1} answered by {ok: 1}',
  defaultPort: 27017,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, PING);
      const header = await reader.bytes(16, 'MONGODB PING response');
      const responseTo = header.readInt32LE(8);
      if (responseTo !== 1) throw new DialogueError(`MONGODB: PING response error -- unexpected response id (${responseTo})`);
      const operation = header.readInt32LE(12);
      if (operation !== OP_REPLY) throw new DialogueError(`MONGODB: PING response error -- unexpected operation type (0x${operation.toString(16)})`);
      const size = header.readInt32LE(0);
      if (size < 16 + REPLY_FIELDS + OK.length || size > 16 * 1024 * 1024) throw new DialogueError('MONGODB: PING response error -- invalid reply');
      const body = await reader.bytes(Math.min(size - 16, REPLY_FIELDS + OK.length), 'MONGODB OP_REPLY');
      if (!body.subarray(REPLY_FIELDS).equals(OK)) throw new DialogueError('MONGODB: PING response error -- invalid reply');
      return 'ok: 1';
    }),
});
