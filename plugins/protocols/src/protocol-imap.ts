// Dialogue (RFC 9051, https://www.rfc-editor.org/rfc/rfc9051):
//   S: * OK greeting          (`* PREAUTH` also accepted)
//   [C: 001 STARTTLS   S: 001 OK, TLS handshake]   with `ssl` on port 143 (RFC 9051 §6.2.1)
//   C: 002 LOGOUT
//   S: * BYE …   S: 002 OK …
// `imaps` is the same over TLS (port 993).
import { defineProtocol, type ProtocolContext, type ProbeResult } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** Untagged lines tolerated before a tagged response. */
const MAX_UNTAGGED = 32;

function speakImap(ctx: ProtocolContext<undefined>): Promise<ProbeResult> {
  return converse(async () => {
    let socket = ctx.socket;
    let reader = new Reader(socket, ctx.signal);
    const greeting = await reader.line('IMAP greeting');
    if (!/^\* (OK|PREAUTH)/i.test(greeting)) throw new DialogueError(`IMAP greeting error: ${quote(greeting)}`);
    if (ctx.startTls) {
      await send(socket, '001 STARTTLS\r\n');
      for (let i = 0; ; i++) {
        if (i === MAX_UNTAGGED) throw new DialogueError('STARTTLS: no tagged response');
        const line = await reader.line('STARTTLS response');
        if (line.startsWith('001 ')) {
          if (!/^001 OK/i.test(line)) throw new DialogueError(`STARTTLS error: ${quote(line)}`);
          break;
        }
      }
      socket = await ctx.startTls();
      reader = new Reader(socket, ctx.signal);
    }
    await send(socket, '002 LOGOUT\r\n');
    const bye = await reader.line('LOGOUT response');
    if (!/^\* BYE/i.test(bye)) throw new DialogueError(`LOGOUT error: ${quote(bye)}`);
    return 'IMAP dialogue complete';
  });
}

/** `protocol imap`. */
export const imapProtocol = defineProtocol<undefined>({ name: 'imap', summary: 'IMAP: * OK greeting, LOGOUT answered by * BYE', defaultPort: 143, speak: speakImap });

/** `protocol imaps`: IMAP over TLS. */
export const imapsProtocol = defineProtocol<undefined>({ name: 'imaps', summary: 'IMAP over TLS (port 993)', defaultPort: 993, speak: speakImap });
