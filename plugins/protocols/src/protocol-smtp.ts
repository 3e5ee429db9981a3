// Dialogue (RFC 5321, https://www.rfc-editor.org/rfc/rfc5321; LMTP RFC 2033):
//   S: 220 greeting          (multi-line `220-…` allowed)
//   C: EHLO <name>   S: 250  (HELO when EHLO is refused; LHLO for LMTP)
//   [C: STARTTLS      S: 220, TLS handshake, C: EHLO <name>  S: 250]   with `ssl` on 25/587 (RFC 3207)
//   C: QUIT          S: 221
// `smtps` is the same over TLS from the first byte (port 465).
import { hostname } from 'node:os';
import { defineProtocol, type ProtocolContext, type ProbeResult } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';
import { expectReply, numberedReply } from './reply.js';

function speakSmtp(hello: 'EHLO' | 'LHLO') {
  return (ctx: ProtocolContext<undefined>): Promise<ProbeResult> =>
    converse(async () => {
      let socket = ctx.socket;
      let reader = new Reader(socket, ctx.signal);
      await expectReply(reader, [220], 'SMTP greeting');
      const name = hostname() || 'localhost';
      await send(socket, `${hello} ${name}\r\n`);
      const reply = await numberedReply(reader, `${hello} response`);
      if (reply.code !== 250) {
        if (hello === 'LHLO') throw new DialogueError(`LHLO error: ${quote(reply.text)}`);
        await send(socket, `HELO ${name}\r\n`);
        await expectReply(reader, [250], 'HELO response');
      }
      if (ctx.startTls) {
        if (!reply.lines.some((l) => /^250[ -]STARTTLS/i.test(l))) throw new DialogueError('STARTTLS is not offered by the server');
        await send(socket, 'STARTTLS\r\n');
        await expectReply(reader, [220], 'STARTTLS response');
        socket = await ctx.startTls();
        reader = new Reader(socket, ctx.signal);
        await send(socket, `${hello} ${name}\r\n`);
        await expectReply(reader, [250], `${hello} response`);
      }
      await send(socket, 'QUIT\r\n');
      await expectReply(reader, [221], 'QUIT response');
      return 'SMTP dialogue complete';
    });
}

/** `protocol smtp`. */
export const smtpProtocol = defineProtocol<undefined>({
  name: 'smtp',
  summary: 'SMTP: greeting, EHLO (or HELO), QUIT',
  defaultPort: 25,
  speak: speakSmtp('EHLO'),
});

/** `protocol smtps`: SMTP over TLS. */
export const smtpsProtocol = defineProtocol<undefined>({
  name: 'smtps',
  summary: 'SMTP over TLS (port 465): greeting, EHLO, QUIT',
  defaultPort: 465,
  speak: speakSmtp('EHLO'),
});

/** `protocol lmtp`. */
export const lmtpProtocol = defineProtocol<undefined>({
  name: 'lmtp',
  summary: 'LMTP: greeting, LHLO, QUIT',
  defaultPort: 24,
  speak: speakSmtp('LHLO'),
});
