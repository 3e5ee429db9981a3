/**
 * Syslog through util-linux `logger`: Node has no syslog API and `dgram` cannot open unix
 * datagram sockets, so one long-lived `logger --prio-prefix` reads `<PRI>message` lines on its
 * stdin and forwards them to `/dev/log`. PRI = facility * 8 + severity (RFC 5424 §6.2.1).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Level } from './log-format.js';
import type { LogSink } from './log-sink.js';

const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
  authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

const SEVERITIES: Readonly<Record<Level, number>> = { error: 3, warning: 4, info: 6, debug: 7 };

/**
 * The facility code for `log_local0`, `LOCAL0` or `local0`; Monit's default, `user`, when the
 * name is empty or unknown.
 */
export function syslogFacility(name: string | undefined): number {
  const key = (name ?? '').toLowerCase().replace(/^log_/, '');
  return FACILITIES[key] ?? FACILITIES.user!;
}

/** `<PRI>` for a facility code and a level. */
export function syslogPriority(facility: number, level: Level): number {
  return facility * 8 + SEVERITIES[level];
}

/** How to start `logger`. */
export interface SyslogSinkOptions {
  /** Facility name from `set log syslog facility …`. */
  readonly facility?: string;
  /** The program, looked up on PATH. */
  readonly command?: string;
  readonly tag?: string;
  /** Called once if `logger` exits or its pipe breaks while the sink is open. */
  readonly onFailure: (reason: string) => void;
}

/** Lines handed to one long-lived `logger` process. */
export class SyslogSink implements LogSink {
  readonly timestamped = false;
  private readonly facility: number;
  private readonly child: ChildProcess;
  private closed = false;

  /** Throws when `logger` is missing or too old to read a priority per line. */
  constructor(private readonly options: SyslogSinkOptions) {
    this.facility = syslogFacility(options.facility);
    const command = options.command ?? 'logger';
    const help = spawnSync(command, ['--help'], { encoding: 'utf8', timeout: 5000 });
    if (help.error) throw new Error(`cannot run '${command}': ${help.error.message}`);
    const usage = `${help.stdout}${help.stderr}`;
    if (!usage.includes('--prio-prefix')) throw new Error(`'${command}' does not support --prio-prefix`);

    const args = ['--prio-prefix', '-t', options.tag ?? 'warden'];
    if (usage.includes('--id')) args.push(`--id=${process.pid}`);
    // Without a syslog daemon a line is dropped rather than the logger exiting on every write.
    if (usage.includes('--socket-errors')) args.push('--socket-errors=off');
    this.child = spawn(command, args, { stdio: ['pipe', 'ignore', 'ignore'] });
    this.child.on('error', (err) => this.fail(`'${command}' failed: ${err.message}`));
    this.child.on('exit', (code, signal) => this.fail(`'${command}' exited (${signal ?? `status ${code}`})`));
    this.child.stdin!.on('error', (err) => this.fail(`'${command}' pipe broke: ${err.message}`));
    // The logger must not keep a finished CLI run alive.
    this.child.unref();
    (this.child.stdin as Socket).unref();
  }

  write(level: Level, line: string): void {
    if (this.closed) return;
    const pri = `<${syslogPriority(this.facility, level)}>`;
    // logger reads line by line: each physical line needs its own priority.
    const text = line
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => `${pri}${l}\n`)
      .join('');
    if (text) this.child.stdin!.write(text);
  }

  reopen(): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin!.end();
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin!.destroy();
    this.options.onFailure(reason);
  }
}
