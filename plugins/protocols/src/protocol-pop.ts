// Dialogue (RFC 1939, https://www.rfc-editor.org/rfc/rfc1939):
//   S: +OK greeting
//   C: QUIT   S: +OK
// `pops` is the same over TLS (port 995).
import { defineProtocol, type ProtocolContext, type ProbeResult } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

async function okLine(reader: Reader, what: string): Promise<void> {
  const line = await reader.line(what);
  if (!line.startsWith('+OK')) throw new DialogueError(`${what} error: ${quote(line)}`);
}

function speakPop(ctx: ProtocolContext<undefined>): Promise<ProbeResult> {
  return converse(async () => {
    const reader = new Reader(ctx.socket, ctx.signal);
    await okLine(reader, 'POP greeting');
    await send(ctx.socket, 'QUIT\r\n');
    await okLine(reader, 'QUIT response');
    return 'POP dialogue complete';
  });
}

/** `protocol pop`. */
export const popProtocol = defineProtocol<undefined>({ name: 'pop', summary: 'POP3: +OK greeting, QUIT', defaultPort: 110, speak: speakPop });

/** `protocol pops`: POP3 over TLS. */
export const popsProtocol = defineProtocol<undefined>({ name: 'pops', summary: 'POP3 over TLS (port 995)', defaultPort: 995, speak: speakPop });
