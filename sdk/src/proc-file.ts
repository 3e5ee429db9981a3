import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A procfs file kept open and read again from offset 0 each time: the kernel makes its text
 * afresh at every read from the start, so a cycle costs two `pread`s per file (the text, then
 * its end) instead of `readFileSync`'s open, fstat, two reads and close.
 */
class KeptProcFile {
  private fd: number | undefined;
  private buf = Buffer.allocUnsafe(16 * 1024);

  constructor(private readonly path: string) {}

  /** The file's text, or undefined when it cannot be read. */
  read(encoding: ProcEncoding): string | undefined {
    if (this.fd !== undefined) {
      const text = this.readFrom(this.fd, encoding);
      if (text !== undefined) return text;
      this.close();
    }
    try {
      this.fd = openSync(this.path, 'r');
    } catch {
      return undefined;
    }
    const text = this.readFrom(this.fd, encoding);
    if (text === undefined) this.close();
    return text;
  }

  /**
   * The whole text: `pread`s from offset 0 on until one returns nothing. A file made in one
   * piece (loadavg, stat, meminfo, uptime, file-nr) comes whole in the first; a file of many
   * records (`/proc/self/maps`) comes a page or so per read. Larger than {@link MAX_BYTES}:
   * unreadable.
   */
  private readFrom(fd: number, encoding: ProcEncoding): string | undefined {
    try {
      let total = 0;
      for (;;) {
        if (total === this.buf.length) {
          if (total >= MAX_BYTES) return undefined;
          const grown = Buffer.allocUnsafe(total * 2);
          this.buf.copy(grown, 0, 0, total);
          this.buf = grown;
        }
        const n = readSync(fd, this.buf, total, this.buf.length - total, total);
        if (n === 0) return this.buf.toString(encoding, 0, total);
        total += n;
      }
    } catch {
      return undefined;
    }
  }

  private close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = undefined;
  }
}

/** How a procfs file's bytes become text: latin1 for numbers, utf8 where paths appear (mountinfo). */
export type ProcEncoding = 'latin1' | 'utf8';

/** The most a kept file reads. */
const MAX_BYTES = 4 * 1024 * 1024;

/** The daemon's kept procfs files, by path: the same few, read every cycle by every plugin. */
const kept = new Map<string, KeptProcFile>();

/**
 * A procfs file's text, or undefined when it cannot be read: for the fixed files a plugin reads
 * every cycle (`/proc/stat`, `/proc/self/mountinfo`, …), not per-process ones (each path keeps
 * a descriptor while it can be read). The file is kept open and read again from offset 0; one
 * that cannot be read is let go, so paths that vanish leave nothing behind. Not for regular
 * files: a kept descriptor would go on reading a file that was replaced.
 */
export function readProcFile(path: string, encoding: ProcEncoding = 'latin1'): string | undefined {
  let file = kept.get(path);
  if (file === undefined) kept.set(path, (file = new KeptProcFile(path)));
  const text = file.read(encoding);
  if (text === undefined) kept.delete(path);
  return text;
}
