import { closeSync, openSync, writeSync } from 'node:fs';
import { describeSystemError } from '../exec/system-error.js';
import type { Level } from './log-format.js';

/** Where formatted log lines go. */
export interface LogSink {
  /** Whether lines carry their own `[time]` (syslog stamps its own). */
  readonly timestamped: boolean;
  /** Write one formatted line (no trailing newline). */
  write(level: Level, line: string): void;
  /** Reopen the destination (logrotate moved the file away). */
  reopen(): void;
  close(): void;
}

/** Lines appended to a file through a kept descriptor, one synchronous write each. */
export class FileSink implements LogSink {
  readonly timestamped = true;
  private fd: number;

  /** Throws an Error naming `path` when the file cannot be opened for appending. */
  constructor(
    readonly path: string,
    private readonly fallback: NodeJS.WritableStream,
  ) {
    this.fd = openLog(path);
  }

  write(_level: Level, line: string): void {
    try {
      // Synchronous so a line written just before a crash is on disk.
      writeSync(this.fd, `${line}\n`);
    } catch {
      // A full disk must not take the daemon down; the line still goes somewhere.
      this.fallback.write(`${line}\n`);
    }
  }

  /** Opens the path anew before closing the old descriptor, so a failure keeps logging going. */
  reopen(): void {
    const fd = openLog(this.path);
    const old = this.fd;
    this.fd = fd;
    closeQuietly(old);
  }

  close(): void {
    closeQuietly(this.fd);
    this.fd = -1;
  }
}

/** Lines written to a stream (standard error for `-I` without `set log`). */
export class StreamSink implements LogSink {
  readonly timestamped = true;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  write(_level: Level, line: string): void {
    this.stream.write(`${line}\n`);
  }

  reopen(): void {}

  close(): void {}
}

/** Lines kept in an array, for tests. */
export class MemorySink implements LogSink {
  readonly timestamped = true;

  constructor(private readonly lines: string[]) {}

  write(_level: Level, line: string): void {
    this.lines.push(line);
  }

  reopen(): void {}

  close(): void {}
}

function openLog(path: string): number {
  try {
    return openSync(path, 'a', 0o640);
  } catch (err) {
    throw new Error(`Error opening the log file '${path}' for writing -- ${describeSystemError(err)}`, { cause: err });
  }
}

function closeQuietly(fd: number): void {
  if (fd < 0) return;
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing left to release.
  }
}
