import { spawn } from 'node:child_process';
import { checkControlFile, findControlFile } from '../config/control-file.js';
import type { LogTarget } from '../config/model.js';
import { diagnosticText, toJson } from '../config/monitrc/model-json.js';
import { readConfig, type LoadedConfig } from '../config/read-config.js';
import { defaultPidfile } from '../daemon/default-paths.js';
import { describeError } from '../daemon/describe-error.js';
import { readPidfile } from '../daemon/pidfile.js';
import { startReaper } from '../daemon/reaper.js';
import { Tokens } from '../di/tokens.js';
import { VERSION } from '../version.js';
import { hashLines } from './hash.js';
import { procmatch } from './procmatch.js';
import { REMOTE_ACTIONS, runRemote } from './remote-commands.js';

/** The parsed command-line options. */
export interface CliOptions {
  readonly conf?: string;
  readonly daemon?: string;
  readonly group?: string;
  readonly logfile?: string;
  readonly pidfile?: string;
  readonly statefile?: string;
  readonly interactive?: boolean;
  readonly test?: boolean;
  readonly json?: boolean;
  readonly verbose?: number;
  readonly hash?: string | boolean;
  readonly version?: boolean;
  /** `--format monitrc|pmtr`: the control file's language, else detected from its content. */
  readonly format?: string;
  /** `--log-format text|json`, over `set log … format`. */
  readonly logFormat?: string;
}

const LATER_ACTIONS = new Set(['procmatch']);  // handled without the control file

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

/** Run one command line; returns the exit code. Prints errors without stack traces. */
export async function runCli(opts: CliOptions, action: string | undefined, args: readonly string[]): Promise<number> {
  if (opts.version) {
    out(`This is warden version ${VERSION}\nMonit control-file compatible (Monit 5.33), pmtr job files\nCopyright (C) the warden authors. Licensed under the MIT licence.`);
    return 0;
  }
  if (opts.hash !== undefined) {
    try {
      out(await hashLines(typeof opts.hash === 'string' ? opts.hash : undefined));
      return 0;
    } catch (e) {
      err(`warden: cannot read '${String(opts.hash)}' -- ${describeError(e)}`);
      return 1;
    }
  }
  let interval: number | undefined;
  if (opts.daemon !== undefined) {
    interval = Number(opts.daemon);
    if (!Number.isInteger(interval) || interval <= 0) {
      err(`Invalid poll time '${opts.daemon}': use -d with a number of seconds greater than 0`);
      return 1;
    }
  }
  if (opts.format !== undefined && opts.format !== 'monitrc' && opts.format !== 'pmtr') {
    err(`Invalid control file format '${opts.format}': use --format monitrc or --format pmtr`);
    return 1;
  }
  const format = opts.format as 'monitrc' | 'pmtr' | undefined;
  if (opts.logFormat !== undefined && opts.logFormat !== 'text' && opts.logFormat !== 'json') {
    err(`Invalid log format '${opts.logFormat}': use --log-format text or --log-format json`);
    return 1;
  }
  if (action !== undefined && !['reload', 'quit', ...LATER_ACTIONS, ...REMOTE_ACTIONS].includes(action)) {
    err(`Invalid argument -- ${action}  (-h will show valid arguments)`);
    return 1;
  }
  if ((action === 'reload' || action === 'quit') && args.length > 0) {
    err(`Invalid argument -- ${args[0]}  (-h will show valid arguments)`);
    return 1;
  }
  if (action === 'procmatch') {
    // Needs no control file and no daemon: it reads /proc.
    const result = procmatch(args);
    if (result.out) process.stdout.write(result.out);
    if (result.err) process.stderr.write(result.err);
    return result.code;
  }

  const file = findControlFile(opts.conf);
  if (!file) {
    err('Cannot find the control file at ~/.monitrc, /etc/monitrc, /etc/monit/monitrc, /usr/local/etc/monitrc or ./monitrc: use -c FILE');
    return 1;
  }
  const perms = checkControlFile(file);
  if (perms.errors.length) {
    for (const e of perms.errors) err(e);
    return 1;
  }

  if (action === 'reload' || action === 'quit') return signalDaemon(action, opts.pidfile, file, format);

  let config: LoadedConfig;
  try {
    config = await readConfig(file, undefined, format);
  } catch (e) {
    if (opts.test && opts.json) out(JSON.stringify(toJson(undefined, [describeError(e)]), null, 2));
    else err(describeError(e));
    return 1;
  }
  if (action !== undefined && REMOTE_ACTIONS.has(action)) {
    const pidfile = opts.pidfile ?? config.model.globals.pidfile ?? defaultPidfile();
    return runRemote(config.model, action, args, opts.group, pidfile, { out, err });
  }
  // Monit's 0700 rule is about monitrc; pmtr.conf is usually 0644 and pmtr never minded.
  const permWarnings = config.model.format === 'pmtr' ? [] : perms.warnings;
  const warnings = [...permWarnings, ...config.model.warnings.map(diagnosticText)];
  if (opts.test) {
    if (opts.json) {
      out(JSON.stringify({ ...toJson(config.model), warnings }, null, 2));
    } else {
      for (const w of warnings) err(w);
      out('Control file syntax OK');
    }
    return 0;
  }

  const pidfile = opts.pidfile ?? config.model.globals.pidfile ?? defaultPidfile();
  const running = readPidfile(pidfile);
  if (running !== undefined) {
    // One daemon per pid file: an explicit foreground start is refused; a bare `warden` wakes it (Monit G16).
    if (opts.interactive) {
      err(`warden daemon with PID ${running} is already running (pid file ${pidfile})`);
      return 1;
    }
    process.kill(running, 'SIGUSR1');
    out(`warden daemon with PID ${running} awakened`);
    return 0;
  }
  const hasInterval = interval !== undefined || config.model.globals.daemon !== undefined;
  // As PID 1 (a container) there is nothing to detach from: leaving would end the container.
  if (hasInterval && !opts.interactive && process.pid !== 1) return detach(opts.logfile === undefined && config.model.globals.log === undefined);

  // The daemon's code (engine, HTTP interface, metrics) is loaded only to run it, so that
  // `-V`, `-t` and the commands that talk to a running daemon never compile it.
  const { createContainer } = await import('../di/container.js');
  const container = createContainer();
  const log = container.resolve(Tokens.Logger);
  log.setVerbosity(opts.verbose ?? 0);
  const controlTarget = config.model.globals.log;
  log.setFormat((opts.logFormat as 'text' | 'json' | undefined) ?? (controlTarget?.kind !== 'stderr' ? controlTarget?.format : undefined) ?? 'text');
  // As a container's init warden inherits every orphan of its PID namespace and must reap them.
  const reaper = process.pid === 1 ? startReaper(log) : undefined;
  for (const w of warnings) log.warning(w);
  const logTarget = parseLogTarget(opts.logfile);
  try {
    return await container.resolve(Tokens.Daemon).run(
      { controlFile: file, ...(interval !== undefined ? { intervalSeconds: interval } : {}), ...(opts.pidfile ? { pidfile: opts.pidfile } : {}), ...(logTarget ? { logTarget } : {}), ...(opts.statefile ? { statefile: opts.statefile } : {}), ...(format ? { format } : {}) },
      config,
    );
  } catch (e) {
    err(`warden: ${describeError(e)}`);
    return 1;
  } finally {
    reaper?.stop();
    log.close();
  }
}

/** `-l FILE|syslog`. */
function parseLogTarget(value: string | undefined): LogTarget | undefined {
  if (value === undefined) return undefined;
  return value === 'syslog' ? { kind: 'syslog', facility: 'log_user' } : { kind: 'file', path: value };
}

/** `reload` (SIGHUP) and `quit` (SIGTERM) to the daemon named in the pid file. */
async function signalDaemon(action: 'reload' | 'quit', pidOption: string | undefined, file: string, format: 'monitrc' | 'pmtr' | undefined): Promise<number> {
  let pidfile = pidOption;
  if (!pidfile) {
    try {
      pidfile = (await readConfig(file, undefined, format)).model.globals.pidfile ?? defaultPidfile();
    } catch {
      pidfile = defaultPidfile();
    }
  }
  const pid = readPidfile(pidfile);
  if (pid === undefined) {
    out('warden daemon is not running');
    return action === 'quit' ? 0 : 1;
  }
  if (action === 'reload') {
    process.kill(pid, 'SIGHUP');
    out('Reinitializing warden daemon');
  } else {
    process.kill(pid, 'SIGTERM');
    out(`warden daemon with pid [${pid}] killed`);
  }
  return 0;
}

/**
 * Without `-I`, start a copy of this command in the background with `-I` added, as Monit
 * forks; with no log target configured it logs to syslog, having no terminal.
 */
function detach(toSyslog: boolean): number {
  const [node, script, ...rest] = process.argv;
  const child = spawn(node!, [script!, ...rest, '-I', ...(toSyslog ? ['-l', 'syslog'] : [])], { detached: true, stdio: 'ignore' });
  child.unref();
  return 0;
}
