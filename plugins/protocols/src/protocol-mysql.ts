// Dialogue (MySQL client/server protocol, https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html):
//   S: packet header (3-byte length, 1-byte sequence 0), then Handshake V10: byte 0x0a,
//      NUL-terminated server version, …   (0xff ERR packet: "Host is not allowed", too many connections)
//   We close after the handshake: the server answered in its protocol.
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader } from './io.js';

/** `protocol mysql`. */
export const mysqlProtocol = defineProtocol<undefined>({
  name: 'mysql',
  summary: 'MySQL/MariaDB: the server handshake packet (protocol 10)',
  defaultPort: 3306,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      const header = await reader.bytes(4, 'MySQL handshake');
      const length = header.readUIntLE(0, 3);
      if (length < 1 || length > 16 * 1024) throw new DialogueError(`MYSQL: invalid handshake packet length ${length}`);
      const payload = await reader.bytes(length, 'MySQL handshake');
      if (payload[0] === 0xff) {
        const code = payload.length >= 3 ? payload.readUInt16LE(1) : 0;
        throw new DialogueError(`MYSQL: server error ${code}: ${quote(payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('utf8'))}`);
      }
      if (payload[0] !== 0x0a) throw new DialogueError(`MYSQL: unsupported protocol version ${payload[0]}`);
      const end = payload.indexOf(0, 1);
      return `server version ${quote(payload.subarray(1, end < 0 ? payload.length : end).toString('latin1'))}`;
    }),
});
