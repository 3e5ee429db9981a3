import type { Logger } from '../context.js';

/** One captured log line. */
export interface LogLine {
  readonly level: 'error' | 'warning' | 'info' | 'debug';
  readonly message: string;
}

/** A logger that keeps every line, for assertions. */
export class CapturedLogger implements Logger {
  readonly lines: LogLine[] = [];

  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  warning(message: string): void {
    this.lines.push({ level: 'warning', message });
  }

  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }

  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }

  /** The messages at `level` (all levels when omitted). */
  messages(level?: LogLine['level']): string[] {
    return this.lines.filter((l) => !level || l.level === level).map((l) => l.message);
  }
}
