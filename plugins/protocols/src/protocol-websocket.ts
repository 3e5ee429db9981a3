// Dialogue (RFC 6455, https://www.rfc-editor.org/rfc/rfc6455 §4.1 and §5.5.2):
//   C: GET <request> HTTP/1.1, Host, Upgrade: websocket, Connection: Upgrade,
//      Sec-WebSocket-Key, Sec-WebSocket-Version 13, Origin
//   S: HTTP/1.1 101 …, headers, empty line
//   C: masked ping frame   S: pong frame (0x8a)   C: close frame
import { randomBytes } from 'node:crypto';
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** `protocol websocket` options (Monit C72–C75). */
export interface WebsocketOptions {
  readonly request: string;
  readonly host?: string;
  readonly origin: string;
  readonly version: number;
}

const MAX_HEADERS = 100;

/** `protocol websocket [request PATH] [host H] [origin URL] [version N]`: at least one option, as Monit requires. */
export const websocketProtocol = defineProtocol<WebsocketOptions>({
  name: 'websocket',
  summary: 'WebSocket: the upgrade handshake, then a ping answered by a pong',
  defaultPort: 80,
  options: {
    request: { type: 'string', description: 'The request path.', default: '/' },
    host: { type: 'string', description: 'The Host header.', default: 'the host tested' },
    origin: { type: 'string', description: 'The Origin header.', default: 'http://localhost' },
    version: { type: 'integer', description: 'Accepted for Monit compatibility; the handshake always offers version 13.', default: 13 },
  },
  parse(ts) {
    const o: { request: string; host?: string; origin: string; version: number } = { request: '/', origin: 'http://localhost', version: 13 };
    let seen = 0;
    for (;; seen++) {
      if (ts.accept('request')) o.request = ts.string('a request path');
      else if (ts.accept('host')) o.host = ts.string('a host name');
      else if (ts.accept('origin')) o.origin = ts.string('an origin');
      else if (ts.accept('version')) o.version = ts.integer('a version');
      else break;
    }
    if (seen === 0) ts.syntaxError();
    return o;
  },
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      const host = ctx.options.host ?? (ctx.peer ? `${ctx.peer.host}:${ctx.peer.port}` : 'localhost');
      await send(ctx.socket, [
        `GET ${ctx.options.request} HTTP/1.1`, `Host: ${host}`, 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', `Origin: ${ctx.options.origin}`, '', '',
      ].join('\r\n'));
      const status = await reader.line('WEBSOCKET handshake response');
      if (!/^HTTP\/1\.[01] 101/.test(status)) throw new DialogueError(`WEBSOCKET: invalid handshake response '${quote(status)}'`);
      for (let i = 0; ; i++) {
        if (i === MAX_HEADERS) throw new DialogueError('WEBSOCKET: too many response headers');
        if ((await reader.line('WEBSOCKET handshake headers')) === '') break;
      }
      await send(ctx.socket, Buffer.concat([Buffer.from([0x89, 0x80]), randomBytes(4)]));
      const frame = await reader.bytes(2, 'WEBSOCKET pong');
      if (frame[0] !== 0x8a) throw new DialogueError(`WEBSOCKET: expected a pong frame, got opcode 0x${(frame[0]! & 0x0f).toString(16)}`);
      await send(ctx.socket, Buffer.concat([Buffer.from([0x88, 0x80]), randomBytes(4)]));
      return 'handshake and ping/pong complete';
    }),
});
