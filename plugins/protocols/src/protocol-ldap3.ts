// Dialogue (LDAPv3, RFC 4511 §4.2, https://www.rfc-editor.org/rfc/rfc4511#section-4.2, BER encoded):
//   C: BindRequest  30 0c 02 01 01 60 07 02 01 03 04 00 80 00   (message 1, version 3, anonymous)
//   S: BindResponse 30 .. 02 01 01 61 .. 0a 01 00 …              (resultCode success)
//   C: UnbindRequest 30 05 02 01 02 42 00
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';

const BIND = Buffer.from('300c020101600702010304008000', 'hex');
const UNBIND = Buffer.from('30050201024200', 'hex');

/** The length of a BER element starting at `at`: [header length, content length], or undefined if incomplete. */
function berLength(b: Buffer, at: number): [number, number] | undefined {
  if (b.length < at + 2) return undefined;
  const first = b[at + 1]!;
  if (first < 0x80) return [2, first];
  const n = first & 0x7f;
  if (n < 1 || n > 3) throw new DialogueError('LDAP: invalid BER length');
  if (b.length < at + 2 + n) return undefined;
  return [2 + n, b.readUIntBE(at + 2, n)];
}

/** `protocol ldap3`. */
export const ldap3Protocol = defineProtocol<undefined>({
  name: 'ldap3',
  summary: 'LDAPv3: an anonymous bind answered with success',
  defaultPort: 389,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, BIND);
      const msg = await reader.take((b) => { const l = berLength(b, 0); return l && b.length >= l[0] + l[1] ? l[0] + l[1] : -1; }, 'bind response');
      if (msg[0] !== 0x30) throw new DialogueError('LDAP: invalid response');
      let at = berLength(msg, 0)![0];
      at += 2 + (msg[at + 1] ?? 0); // message id
      if (msg[at] !== 0x61) throw new DialogueError('LDAP: not a bind response');
      at += berLength(msg, at)![0];
      if (msg[at] !== 0x0a || msg[at + 1] !== 1) throw new DialogueError('LDAP: invalid bind response');
      const code = msg[at + 2]!;
      if (code !== 0) throw new DialogueError(`LDAP: bind failed with result code ${code}`);
      await send(ctx.socket, UNBIND);
      return 'anonymous bind succeeded';
    }),
});
