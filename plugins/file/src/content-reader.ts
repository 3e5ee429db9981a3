import { open } from 'node:fs/promises';

/** Where a content test left off in a file; kept in `ctx.state` between cycles. */
export interface ContentCursor {
  readonly ino: number;
  /** Byte offset of the first line not yet judged. */
  readonly offset: number;
  /** True when the line at `offset` was too long for one read and its start was judged already. */
  readonly skipping: boolean;
}

/** Limits of one read; Monit judges only the first 511 bytes of a line (`fileContentBuffer` 512). */
export interface ReadLimits {
  readonly maxLineBytes: number;
  /** Bytes read per cycle at most; the rest waits for the next cycle. */
  readonly maxReadBytes: number;
  readonly chunkBytes: number;
}

/** The defaults: 511-byte lines, 64 MiB per cycle, 256 KiB reads (short synchronous bursts). */
export const DEFAULT_LIMITS: ReadLimits = { maxLineBytes: 511, maxReadBytes: 64 << 20, chunkBytes: 256 << 10 };

/** What one read found. */
export interface ReadOutcome {
  readonly cursor: ContentCursor;
  /** Bytes consumed this cycle. */
  readonly bytes: number;
  /** `start`: first sight, positioned at the end; `rewind`: rotated or truncated, read from 0. */
  readonly note?: 'start' | 'rewind' | 'limit';
}

/**
 * Read the complete lines appended since `cursor` and hand each to `onLine` (its first
 * `maxLineBytes` bytes, without the newline). Monit's rules (C28, R23): on first sight start
 * at the end of the file; read from 0 again when the inode changed or the file shrank; an
 * unterminated last line is left for the next cycle, so a writer may finish it. Memory stays
 * at one chunk plus one line prefix whatever the file's size. `/proc` files are read whole.
 */
export async function readNewLines(
  path: string,
  cursor: ContentCursor | undefined,
  onLine: (line: string) => void,
  signal: AbortSignal,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<ReadOutcome> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const whole = path.startsWith('/proc/');
    if (cursor === undefined && !whole) {
      return { cursor: { ino: st.ino, offset: st.size, skipping: false }, bytes: 0, note: 'start' };
    }
    let start = cursor?.offset ?? 0;
    let skipping = cursor?.skipping ?? false;
    let note: ReadOutcome['note'];
    if (whole || cursor === undefined || cursor.ino !== st.ino || cursor.offset > st.size) {
      if (!whole && cursor !== undefined) note = 'rewind';
      start = 0;
      skipping = false;
    }
    // /proc files report size 0: read them to EOF within the byte limit.
    const end = whole ? start + limits.maxReadBytes : Math.min(st.size, start + limits.maxReadBytes);
    const buf = Buffer.allocUnsafe(limits.chunkBytes);
    const prefix = Buffer.allocUnsafe(limits.maxLineBytes);
    let prefixLen = 0;
    let lineStart = start;
    let pos = start;
    while (pos < end) {
      signal.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) break;
      let i = 0;
      while (i < bytesRead) {
        const nl = buf.indexOf(10, i);
        const stop = nl === -1 || nl >= bytesRead ? bytesRead : nl;
        if (!skipping && prefixLen < prefix.length) {
          prefixLen += buf.copy(prefix, prefixLen, i, Math.min(stop, i + prefix.length - prefixLen));
        }
        if (stop === bytesRead) break;
        if (!skipping) onLine(prefix.toString('utf8', 0, prefixLen));
        skipping = false;
        prefixLen = 0;
        lineStart = pos + stop + 1;
        i = stop + 1;
      }
      pos += bytesRead;
    }
    const limited = pos - start >= limits.maxReadBytes;
    if (limited && lineStart === start) {
      // One line longer than a whole cycle's read: judge its start now and skip the rest.
      if (!skipping) onLine(prefix.toString('utf8', 0, prefixLen));
      return { cursor: { ino: st.ino, offset: pos, skipping: true }, bytes: pos - start, note: 'limit' };
    }
    const outNote = limited ? 'limit' : note;
    const next: ContentCursor = { ino: st.ino, offset: lineStart, skipping: lineStart === start && skipping };
    return { cursor: next, bytes: lineStart - start, ...(outNote ? { note: outNote } : {}) };
  } finally {
    await fh.close();
  }
}
