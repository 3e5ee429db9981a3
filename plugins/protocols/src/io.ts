import type { Duplex } from 'node:stream';
import { fail, ok, type ProbeResult } from '@warden/sdk';

/** The most a protocol reads from a peer before giving up: no peer can make us buffer more. */
export const READ_LIMIT = 64 * 1024;

/** A peer said something the dialogue did not expect; its message is the log's detail. */
export class DialogueError extends Error {
  override readonly name = 'DialogueError';
}

/**
 * Reads a stream in bounded pieces for a dialogue: whole lines, exact byte counts, or a
 * prefix a predicate accepts. Every wait ends on data, end of stream, error or abort, so a
 * silent peer holds a protocol only until the runner's deadline aborts `signal`.
 */
export class Reader {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    stream: Duplex,
    private readonly signal: AbortSignal,
    private readonly limit = READ_LIMIT,
  ) {
    stream.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      if (this.buffer.length > this.limit) stream.pause();
      this.wake?.();
    });
    stream.on('end', () => { this.ended = true; this.wake?.(); });
    stream.on('close', () => { this.ended = true; this.wake?.(); });
    stream.on('error', (err) => { this.failure = err; this.wake?.(); });
  }

  /**
   * Wait until `take(buffer)` returns how many leading bytes make a complete answer,
   * then consume and return them. `take` returns -1 while more is needed.
   */
  async take(take: (buffer: Buffer) => number, what: string): Promise<Buffer> {
    for (;;) {
      const n = take(this.buffer);
      if (n >= 0) {
        const out = this.buffer.subarray(0, n);
        this.buffer = this.buffer.subarray(n);
        return out;
      }
      if (this.buffer.length > this.limit) throw new DialogueError(`${what} exceeds ${this.limit} bytes`);
      if (this.failure) throw this.failure;
      if (this.signal.aborted) throw abortError(this.signal);
      if (this.ended) {
        throw new DialogueError(this.buffer.length ? `connection closed in the middle of ${what}` : `connection closed by the server while waiting for ${what}`);
      }
      await new Promise<void>((resolve) => {
        const done = () => { this.wake = undefined; this.signal.removeEventListener('abort', done); resolve(); };
        this.wake = done;
        this.signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** One line without its `\r\n` or `\n`. */
  async line(what = 'a response line'): Promise<string> {
    const raw = await this.take((b) => { const i = b.indexOf(0x0a); return i < 0 ? -1 : i + 1; }, what);
    return raw.toString('latin1').replace(/\r?\n$/, '');
  }

  /** Exactly `n` bytes. */
  bytes(n: number, what = 'a response'): Promise<Buffer> {
    return this.take((b) => (b.length >= n ? n : -1), what);
  }

  /** Whatever has arrived, at least one byte. */
  some(what = 'a response'): Promise<Buffer> {
    return this.take((b) => (b.length > 0 ? b.length : -1), what);
  }

  /** Bytes received but not consumed yet. */
  pending(): Buffer {
    return this.buffer;
  }
}

/** The error a dialogue throws when its signal fired (the runner's deadline or shutdown). */
export function abortError(signal: AbortSignal): Error {
  const err = new Error('timed out', { cause: signal.reason });
  err.name = 'AbortError';
  return err;
}

/** Write and wait until the data is handed to the kernel (or the stream failed). */
export function send(stream: Duplex, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Run a dialogue and turn a {@link DialogueError} into `fail('protocols.protocol', …)`.
 * Socket errors and aborts pass through: the port test words them as connection failures.
 */
export async function converse(dialogue: () => Promise<string | ProbeResult>): Promise<ProbeResult> {
  try {
    const said = await dialogue();
    return typeof said === 'string' ? ok(said) : said;
  } catch (err) {
    if (err instanceof DialogueError) return fail('protocols.protocol', err.message);
    throw err;
  }
}

/** A line for messages: printable, at most 80 characters. */
export function quote(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}
