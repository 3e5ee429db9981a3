// Dialogue (RFC 5321, https://www.rfc-editor.org/rfc/rfc5321; LMTP RFC 2033):
//   S: 220 greeting          (multi-line `220-…` allowed)
//   C: EHLO <name>   S: 250  (HELO when EHLO is refused; LHLO for LMTP)
//   [C: STARTTLS      S: 220, TLS handshake, C: EHLO <name>  S: 250]   with `ssl` on 25/587 (RFC 3207)
//   [C: AUTH PLAIN <base64 \0user\0password>  S: 235]   with `username`; AUTH LOGIN (334, 334, 235)
//                                                       when the server offers LOGIN but not PLAIN (RFC 4954)
//   C: QUIT          S: 221
// `smtps` is the same over TLS from the first byte (port 465).
import { hostname } from 'node:os';
import { defineProtocol, type ProtocolContext, type ProbeResult } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';
import { CREDENTIAL_DOCS, parseCredentials, type Credentials } from './options.js';
import { expectReply, numberedReply, type NumberedReply } from './reply.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** AUTH PLAIN, or AUTH LOGIN when only that is offered, after EHLO (RFC 4954, RFC 4616). */
async function authenticate(socket: import('node:net').Socket, reader: Reader, ehlo: NumberedReply, c: Credentials): Promise<void> {
  const offered = ehlo.lines.map((l) => /^250[ -]AUTH[ =](.*)$/i.exec(l)?.[1]).find((m) => m !== undefined);
  const mechanisms = (offered ?? '').toUpperCase().split(/\s+/);
  const user = c.username ?? '';
  const password = c.password ?? '';
  if (mechanisms.includes('PLAIN')) {
    await send(socket, `AUTH PLAIN ${b64(`\0${user}\0${password}`)}\r\n`);
  } else if (mechanisms.includes('LOGIN')) {
    await send(socket, 'AUTH LOGIN\r\n');
    await expectReply(reader, [334], 'AUTH LOGIN response');
    await send(socket, `${b64(user)}\r\n`);
    await expectReply(reader, [334], 'AUTH LOGIN username response');
    await send(socket, `${b64(password)}\r\n`);
  } else {
    throw new DialogueError(`SMTP: the server offers no AUTH PLAIN or LOGIN${offered ? ` (AUTH ${quote(offered)})` : ''}`);
  }
  await expectReply(reader, [235], 'AUTH response');
}

function speakSmtp(hello: 'EHLO' | 'LHLO') {
  return (ctx: ProtocolContext<Credentials | undefined>): Promise<ProbeResult> =>
    converse(async () => {
      let socket = ctx.socket;
      let reader = new Reader(socket, ctx.signal);
      await expectReply(reader, [220], 'SMTP greeting');
      const name = hostname() || 'localhost';
      await send(socket, `${hello} ${name}\r\n`);
      let reply = await numberedReply(reader, `${hello} response`);
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
        reply = await expectReply(reader, [250], `${hello} response`);
      }
      if (ctx.options?.username !== undefined) await authenticate(socket, reader, reply, ctx.options);
      await send(socket, 'QUIT\r\n');
      await expectReply(reader, [221], 'QUIT response');
      return 'SMTP dialogue complete';
    });
}

/** `protocol smtp`. */
export const smtpProtocol = defineProtocol<Credentials | undefined>({
  name: 'smtp',
  summary: 'SMTP: greeting, EHLO (or HELO), QUIT',
  defaultPort: 25,
  options: CREDENTIAL_DOCS,
  parse: (ts) => parseCredentials(ts),
  speak: speakSmtp('EHLO'),
});

/** `protocol smtps`: SMTP over TLS. */
export const smtpsProtocol = defineProtocol<Credentials | undefined>({
  name: 'smtps',
  summary: 'SMTP over TLS (port 465): greeting, EHLO, QUIT',
  defaultPort: 465,
  options: CREDENTIAL_DOCS,
  parse: (ts) => parseCredentials(ts),
  speak: speakSmtp('EHLO'),
});

/** `protocol lmtp`. */
export const lmtpProtocol = defineProtocol<Credentials | undefined>({
  name: 'lmtp',
  summary: 'LMTP: greeting, LHLO, QUIT',
  defaultPort: 24,
  speak: speakSmtp('LHLO'),
});
