// Dialogue (LDAPv2, RFC 1777, https://www.rfc-editor.org/rfc/rfc1777; Monit's src/protocols/ldap2.c):
//   C: BindRequest, message 0, version 2, anonymous   30 0c 02 01 00 60 07 02 01 02 04 00 80 00
//   S: BindResponse, success                          30 0c 02 01 00 61 07 0a 01 00 04 00 04 00
//   C: UnbindRequest, message 1                       30 05 02 01 01 42 00
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';

const BIND = Buffer.from('300c020100600702010204008000', 'hex');
const SUCCESS = Buffer.from('300c02010061070a010004000400', 'hex');
const UNBIND = Buffer.from('30050201014200', 'hex');

/** `protocol ldap2`. */
export const ldap2Protocol = defineProtocol<undefined>({
  name: 'ldap2',
  summary: 'LDAPv2: anonymous bind answered with success, then unbind',
  defaultPort: 389,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, BIND);
      const reply = await reader.bytes(SUCCESS.length, 'LDAP bind response');
      if (!reply.equals(SUCCESS)) throw new DialogueError('LDAP: anonymous bind failed');
      await send(ctx.socket, UNBIND);
      return 'anonymous bind succeeded';
    }),
});
