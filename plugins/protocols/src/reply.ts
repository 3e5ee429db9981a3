import { DialogueError, quote, type Reader } from './io.js';

/** A numbered reply of SMTP, LMTP, FTP and NNTP: `250-first`, …, `250 last`. */
export interface NumberedReply {
  readonly code: number;
  readonly text: string;
  /** Every line of the reply, continuation lines first. */
  readonly lines: readonly string[];
}

/** Monit gives up on a multi-line reply after this many lines; so do we. */
const MAX_LINES = 64;

/** Read one reply, following `NNN-` continuation lines to the final `NNN ` line. */
export async function numberedReply(reader: Reader, what: string): Promise<NumberedReply> {
  const lines: string[] = [];
  for (let i = 0; i < MAX_LINES; i++) {
    const line = await reader.line(what);
    lines.push(line);
    const m = /^(\d{3})([ -]|$)/.exec(line);
    if (!m) throw new DialogueError(`${what} -- invalid response '${quote(line)}'`);
    if (m[2] !== '-') return { code: Number(m[1]), text: line, lines };
  }
  throw new DialogueError(`${what} -- more than ${MAX_LINES} lines`);
}

/** Read a reply and require its code to be one of `codes`. */
export async function expectReply(reader: Reader, codes: readonly number[], what: string): Promise<NumberedReply> {
  const reply = await numberedReply(reader, what);
  if (!codes.includes(reply.code)) throw new DialogueError(`${what} error: ${quote(reply.text)}`);
  return reply;
}
