import type { Logger } from '@warden/sdk';
import type { LogTarget } from '../config/model.js';
import { formatJsonLine, formatLine, prefixService, type Level } from './log-format.js';
import { FileSink, MemorySink, StreamSink, type LogSink } from './log-sink.js';
import { SyslogSink } from './syslog-sink.js';

/** `text` is Monit's line; `json` is one object per line for log shippers. */
export type LogFormat = 'text' | 'json';

/** Start-up settings; each has a setter for reloads. */
export interface DaemonLoggerOptions {
  /** Standard error when omitted. */
  readonly target?: LogTarget;
  /** 0 logs info and above; 1 or more adds debug (Monit's `-v`). */
  readonly verbosity?: number;
  readonly format?: LogFormat;
  /** The clock stamping lines. */
  readonly now?: () => Date;
  /** Where the stderr target (and the syslog fallback) writes. */
  readonly stderr?: NodeJS.WritableStream;
  /** The util-linux `logger` program for the syslog target, looked up on PATH. */
  readonly syslogCommand?: string;
}

/**
 * The daemon's logger: Monit's line format to a file, syslog or standard error, with a
 * per-service `child` that prefixes `'name' `. Every write is synchronous (file) or handed to
 * the kernel at once (stream, syslog pipe), so lines survive a crash.
 */
export class DaemonLogger implements Logger {
  private sink: LogSink;
  private target: LogTarget;
  private verbosity: number;
  private format: LogFormat;
  private readonly now: () => Date;
  private readonly stderr: NodeJS.WritableStream;
  private readonly syslogCommand: string | undefined;

  /** Throws like `setTarget` when the target cannot be opened. */
  constructor(options: DaemonLoggerOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.stderr = options.stderr ?? process.stderr;
    this.syslogCommand = options.syslogCommand;
    this.verbosity = options.verbosity ?? 0;
    this.format = options.format ?? 'text';
    this.target = options.target ?? { kind: 'stderr' };
    this.sink = this.open(this.target);
  }

  /**
   * Switch destination. The new one is opened before the old is closed, so a failure (an
   * unwritable log file throws an Error naming the path) leaves logging where it was.
   */
  setTarget(target: LogTarget): void {
    const sink = this.open(target);
    this.sink.close();
    this.sink = sink;
    this.target = target;
  }

  /** 0 logs info and above; 1 or more adds debug. */
  setVerbosity(n: number): void {
    this.verbosity = n;
  }

  setFormat(format: LogFormat): void {
    this.format = format;
  }

  /**
   * After logrotate moved the file (HUP): write to a fresh file at the same path. For syslog
   * that fell back to standard error, try `logger` again. Throws, keeping the old destination,
   * when the file cannot be opened.
   */
  reopen(): void {
    if (this.target.kind === 'syslog' && !(this.sink instanceof SyslogSink)) {
      this.setTarget(this.target);
      return;
    }
    this.sink.reopen();
  }

  /** Send every line, formatted, to `lines` instead (tests). */
  captureTo(lines: string[]): void {
    this.sink.close();
    this.sink = new MemorySink(lines);
    this.target = { kind: 'stderr' };
  }

  /** Close the destination; later lines go to standard error. */
  close(): void {
    this.sink.close();
    this.sink = new StreamSink(this.stderr);
    this.target = { kind: 'stderr' };
  }

  /** A logger for one service: its lines read `'name' message`. */
  child(serviceName: string): Logger {
    return new ServiceLogger(this, serviceName);
  }

  error(message: string): void {
    this.log('error', message);
  }

  warning(message: string): void {
    this.log('warning', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  /** One line at `level`, for `service` when given. */
  log(level: Level, message: string, service?: string): void {
    if (level === 'debug' && this.verbosity < 1) return;
    const date = this.now();
    let line: string;
    if (this.format === 'json') line = formatJsonLine(date, level, message, service);
    else if (this.sink.timestamped) line = formatLine(date, level, prefixService(service, message));
    else line = prefixService(service, message);
    this.sink.write(level, line);
  }

  private open(target: LogTarget): LogSink {
    switch (target.kind) {
      case 'file':
        return new FileSink(target.path, this.stderr);
      case 'stderr':
        return new StreamSink(this.stderr);
      case 'syslog':
        return this.openSyslog(target.facility);
    }
  }

  /** Syslog, or standard error with one warning line when `logger` is missing or dies. */
  private openSyslog(facility: string): LogSink {
    try {
      const sink: SyslogSink = new SyslogSink({
        facility,
        ...(this.syslogCommand !== undefined && { command: this.syslogCommand }),
        onFailure: (reason) => {
          if (this.sink !== sink) return;
          this.sink = new StreamSink(this.stderr);
          this.warning(`syslog unavailable (${reason}); logging to standard error`);
        },
      });
      return sink;
    } catch (err) {
      const fallback = new StreamSink(this.stderr);
      fallback.write('warning', formatLine(this.now(), 'warning', `syslog unavailable (${(err as Error).message}); logging to standard error`));
      return fallback;
    }
  }
}

/**
 * A service's logger: one small object per service (thousands of them), its methods shared
 * on the prototype rather than four closures each.
 */
class ServiceLogger implements Logger {
  constructor(
    private readonly root: DaemonLogger,
    private readonly service: string,
  ) {}

  error(message: string): void {
    this.root.log('error', message, this.service);
  }

  warning(message: string): void {
    this.root.log('warning', message, this.service);
  }

  info(message: string): void {
    this.root.log('info', message, this.service);
  }

  debug(message: string): void {
    this.root.log('debug', message, this.service);
  }
}
