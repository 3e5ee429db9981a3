// Dialogue (SIP OPTIONS, RFC 3261 §11, https://www.rfc-editor.org/rfc/rfc3261#section-11;
// Monit's src/protocols/sip.c), over TCP or `type udp`:
//   C: OPTIONS sip:<target> SIP/2.0, Via (with ;rport over UDP), Max-Forwards, To, From, Call-ID,
//      CSeq 63104 OPTIONS, Contact, Accept application/sdp, Content-Length 0, User-Agent
//   S: SIP/2.0 <status> …   2xx (and 100) pass; 101–199 provisional, 3xx redirection, ≥ 400 fail
import { randomBytes } from 'node:crypto';
import { defineProtocol, type ProtocolContext } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';
import { parseOptionWords } from './options.js';
import { exchange } from './udp.js';

/** `protocol sip [target URI] [maxforward N]` options (Monit C76, C77). */
export interface SipOptions {
  readonly target: string;
  readonly maxForward: number;
}

const DEFAULT_TARGET = 'monit@foo.bar';
const DEFAULT_MAX_FORWARD = 70;

function request(ctx: ProtocolContext<SipOptions>, local: { address: string; port: number }, udp: boolean): string {
  const proto = ctx.peer?.tls ? 'sips' : 'sip';
  const { target, maxForward } = ctx.options;
  const id = () => randomBytes(8).toString('hex');
  return [
    `OPTIONS ${proto}:${target} SIP/2.0`,
    `Via: SIP/2.0/${udp ? 'UDP' : 'TCP'} ${local.address}:${local.port};branch=z9hG4bKh${id()}${udp ? ';rport' : ''}`,
    `Max-Forwards: ${maxForward}`,
    `To: <${proto}:${target}>`,
    `From: monit <${proto}:monit@${local.address}>;tag=${id()}`,
    `Call-ID: ${id()}`,
    'CSeq: 63104 OPTIONS',
    `Contact: <${proto}:${local.address}:${local.port}>`,
    'Accept: application/sdp',
    'Content-Length: 0',
    'User-Agent: warden',
    '', '',
  ].join('\r\n');
}

function judge(line: string): string {
  const m = /^\S+\s+(\d+)/.exec(line);
  if (!m) throw new DialogueError(`SIP error: cannot parse SIP status in response: ${quote(line)}`);
  const status = Number(m[1]);
  if (status >= 400) throw new DialogueError(`SIP error: Server returned status ${status}`);
  if (status >= 300) throw new DialogueError(`SIP info: Server redirection. Returned status ${status}`);
  if (status > 100 && status < 200) throw new DialogueError(`SIP error: Provisional response . Returned status ${status}`);
  return `status ${status}`;
}

/** `protocol sip`: an OPTIONS request answered with a final 2xx status. */
export const sipProtocol = defineProtocol<SipOptions>({
  name: 'sip',
  summary: 'SIP: OPTIONS answered with a 2xx status',
  defaultPort: 5060,
  options: {
    target: { type: 'string', description: 'The request URI\'s user@host.', default: DEFAULT_TARGET },
    maxforward: { type: 'integer', description: 'Max-Forwards header, 0–255 (out of range: 70, as Monit).', default: DEFAULT_MAX_FORWARD },
  },
  parse(ts) {
    let target = DEFAULT_TARGET;
    let maxForward = DEFAULT_MAX_FORWARD;
    parseOptionWords(ts, {
      target: () => { target = ts.string('a SIP target'); },
      maxforward: () => {
        const n = ts.integer('a max forward');
        // Monit only warns and falls back to 70 outside [0..255].
        maxForward = n >= 0 && n <= 255 ? n : DEFAULT_MAX_FORWARD;
      },
    });
    return { target, maxForward };
  },
  speak: (ctx) =>
    converse(async () => {
      if (ctx.udp) {
        const local = ctx.udp.address();
        const reply = await exchange(ctx.udp, Buffer.from(request(ctx, local, true), 'latin1'), ctx.signal, () => true);
        return judge(reply.toString('latin1').split(/\r?\n/, 1)[0]!);
      }
      const reader = new Reader(ctx.socket, ctx.signal);
      const local = { address: ctx.socket.localAddress ?? '127.0.0.1', port: ctx.socket.localPort ?? 0 };
      await send(ctx.socket, request(ctx, local, false));
      return judge(await reader.line('SIP response'));
    }),
});
