// Dialogue (RFC 1035 §4, https://www.rfc-editor.org/rfc/rfc1035#section-4):
//   C: query  ID, flags 0 (standard query), QDCOUNT 1, QNAME "." QTYPE NS QCLASS IN
//   S: answer with the same ID and the QR bit set; any RCODE but SERVFAIL means a working server
//   Over TCP each message is preceded by its 2-byte length (RFC 1035 §4.2.2); over UDP
//   (`type udp`) it is one datagram.
import { randomInt } from 'node:crypto';
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';
import { exchange } from './udp.js';

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

function query(id: number): Buffer {
  const q = Buffer.alloc(17);
  q.writeUInt16BE(id, 0);
  q.writeUInt16BE(1, 4); // QDCOUNT
  q[12] = 0; // root name
  q.writeUInt16BE(2, 13); // NS
  q.writeUInt16BE(1, 15); // IN
  return q;
}

function judge(reply: Buffer, id: number): string {
  if (reply.length < 12 || reply.readUInt16BE(0) !== id) throw new DialogueError('DNS: response does not match the query');
  const flags = reply.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new DialogueError('DNS: not a response');
  const rcode = flags & 0x0f;
  if (rcode === 2) throw new DialogueError('DNS: server failure (SERVFAIL)');
  return `answered ${RCODES[rcode] ?? `RCODE ${rcode}`}`;
}

/** `protocol dns`. */
export const dnsProtocol = defineProtocol<undefined>({
  name: 'dns',
  summary: 'DNS: a query for the root NS records, over TCP or UDP',
  defaultPort: 53,
  speak: (ctx) =>
    converse(async () => {
      const id = randomInt(0x10000);
      const q = query(id);
      if (ctx.udp) {
        const reply = await exchange(ctx.udp, q, ctx.signal, (r) => r.length >= 2 && r.readUInt16BE(0) === id);
        return judge(reply, id);
      }
      const reader = new Reader(ctx.socket, ctx.signal);
      const framed = Buffer.alloc(q.length + 2);
      framed.writeUInt16BE(q.length, 0);
      q.copy(framed, 2);
      await send(ctx.socket, framed);
      const length = (await reader.bytes(2, 'DNS response length')).readUInt16BE(0);
      return judge(await reader.bytes(length, 'DNS response'), id);
    }),
});
