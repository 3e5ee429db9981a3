/** Output handling shared by `run` and `start`: bounded copies, stderr-then-stdout, lines. */

/** Keeps the first `limit` bytes and counts the rest, so the pipe keeps draining. */
export class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
  }

  /** UTF-8, dropping a character the limit cut in half. */
  text(): string {
    return new TextDecoder().decode(Buffer.concat(this.chunks), { stream: true });
  }
}

/** Call `fn` with each non-blank line of `stream`, control characters but TAB as `?`. */
export function forEachLine(stream: NodeJS.ReadableStream, fn: (line: string) => void): void {
  let partial = '';
  const emit = (line: string) => {
    const clean = line.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '?');
    if (clean.trim() !== '') fn(clean);
  };
  stream.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) emit(l.replace(/\r$/, ''));
  });
  stream.on('close', () => {
    if (partial) emit(partial);
    partial = '';
  });
}

/** stderr then stdout, as Monit shows program output, with a line break between them. */
export function joinOutput(err: string, out: string): string {
  if (!err || !out || err.endsWith('\n')) return err + out;
  return `${err}\n${out}`;
}
