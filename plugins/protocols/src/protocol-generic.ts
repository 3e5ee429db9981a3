// Dialogue: the user's own (Monit's generic test, C56), steps in the order written:
//   send "…"     write the bytes (`\r`, `\n`, `\t`, `\\`, `\0xHH` escapes)
//   expect "RE"  read one line (at most 256 bytes, Monit's limit) and match the regular expression
import { defineProtocol, fail, type TokenStream } from '@warden/sdk';
import { converse, quote, Reader, send } from './io.js';

/** One step of a send/expect dialogue. */
export type Step = { readonly send: Buffer } | { readonly expect: RegExp; readonly text: string };

/** The options of a send/expect dialogue. */
export interface GenericOptions {
  readonly steps: readonly Step[];
}

/** Monit reads at most this much for one expect. */
export const EXPECT_LIMIT = 256;

/** The bytes of a send string from its source spelling (the lexer drops `\0xHH`). */
export function unescapeSend(raw: string): Buffer {
  const body = /^(["'])([\s\S]*)\1$/.exec(raw)?.[2] ?? raw;
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) { bytes.push(...Buffer.from(c, 'utf8')); continue; }
    const e = body[++i]!;
    const hex = /^0x([0-9a-f]{2})/i.exec(body.slice(i));
    if (hex) { bytes.push(parseInt(hex[1]!, 16)); i += 3; continue; }
    bytes.push(e === 'n' ? 10 : e === 'r' ? 13 : e === 't' ? 9 : e === '0' ? 0 : e.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

/** Parse `send "S"` and `expect "RE"` words, any number, in order; none read leaves `steps` empty. */
export function parseSteps(ts: TokenStream): Step[] {
  const steps: Step[] = [];
  for (;;) {
    if (ts.accept('send')) {
      const tok = ts.peek();
      ts.string('a string to send');
      steps.push({ send: tok.kind === 'string' ? unescapeSend(tok.raw) : Buffer.from(tok.text) });
    } else if (ts.at('expect')) {
      ts.next();
      const tok = ts.peek();
      const text = ts.string('a regular expression');
      try {
        steps.push({ expect: new RegExp(text), text });
      } catch (err) {
        ts.error(`Regex parsing error: ${(err as Error).message}`, tok);
      }
    } else return steps;
  }
}

/** The send/expect dialogue, used when a test names `send`/`expect` and no protocol. */
export const genericProtocol = defineProtocol<GenericOptions>({
  name: 'generic',
  summary: 'The user\'s send/expect dialogue',
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal, EXPECT_LIMIT);
      for (const step of ctx.options.steps) {
        if ('send' in step) {
          await send(ctx.socket, step.send);
          continue;
        }
        const raw = await reader.take((b) => { const i = b.indexOf(0x0a); return i >= 0 ? i + 1 : b.length >= EXPECT_LIMIT ? EXPECT_LIMIT : -1; }, 'an expected response');
        const line = raw.toString('latin1').replace(/\r?\n$/, '');
        if (!step.expect.test(line)) return fail('protocols.expect', `EXPECT: regular expression '${step.text}' doesn't match '${quote(line)}'`);
      }
      return 'send/expect dialogue complete';
    }),
});
