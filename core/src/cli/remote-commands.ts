import type { ControlModel } from '../config/model.js';
import { readPidfile } from '../daemon/pidfile.js';
import { DaemonClient, DaemonNotRunning } from './daemon-client.js';

/** Commands that talk to the running daemon over its HTTP interface (Monit G17–G23). */
export const REMOTE_ACTIONS = new Set(['start', 'stop', 'restart', 'monitor', 'unmonitor', 'status', 'summary', 'report', 'validate']);
const SERVICE_ACTIONS = new Set(['start', 'stop', 'restart', 'monitor', 'unmonitor']);

/** Where a command writes. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Run `action args` against the daemon of `model`; returns the exit code. */
export async function runRemote(
  model: ControlModel,
  action: string,
  args: readonly string[],
  group: string | undefined,
  pidfile: string,
  io: Output,
): Promise<number> {
  const httpd = model.globals.httpd;
  if (!httpd) {
    io.err(`warden: '${action}' needs the daemon's HTTP interface: add 'set httpd port 2812 and use address localhost' (or 'set httpd unixsocket PATH') to the control file`);
    return 1;
  }
  const client = new DaemonClient(httpd);
  try {
    return await dispatch(client, model, action, args, group, pidfile, io);
  } catch (err) {
    if (err instanceof DaemonNotRunning) {
      io.err('warden: the warden daemon is not running');
      return 1;
    }
    io.err(`warden: cannot talk to the daemon -- ${(err as Error).message}`);
    return 1;
  } finally {
    await client.close();
  }
}

async function dispatch(client: DaemonClient, model: ControlModel, action: string, args: readonly string[], group: string | undefined, pidfile: string, io: Output): Promise<number> {
  const inGroup = group ? model.services.filter((s) => s.groups.includes(group)).map((s) => s.name) : undefined;
  if (SERVICE_ACTIONS.has(action)) {
    let names: string[];
    if (inGroup) names = inGroup;
    else if (args[0] === undefined) {
      io.err(`Please specify a service name or 'all' after ${action}`);
      return 1;
    } else names = args[0] === 'all' ? model.services.map((s) => s.name) : [...args];
    if (names.length === 0) return 0;
    const res = await client.post('/_doaction', [['action', action], ...names.map((n): [string, string] => ['service', n]), ['format', 'text']]);
    if (res.status >= 400) {
      io.err(res.body.trim());
      return 1;
    }
    return 0;
  }
  const only = inGroup ?? (args[0] !== undefined && action !== 'report' ? [args[0]] : []);
  const services = only.map((n): [string, string] => ['service', n]);
  switch (action) {
    case 'status':
    case 'summary': {
      const res = await client.post(action === 'status' ? '/_status' : '/_summary', [...services, ['format', 'text']]);
      if (res.status === 404) {
        io.err(`Service '${only.join(', ')}' not found`);
        return 1;
      }
      io.out(res.body);
      return res.status < 400 ? 0 : 1;
    }
    case 'report': {
      const type = args[0];
      if (type !== undefined && !['up', 'down', 'failed', 'initialising', 'initializing', 'unmonitored', 'total'].includes(type)) {
        io.err(`Invalid report type -- ${type}  (use up, down, failed, initialising, unmonitored or total)`);
        return 1;
      }
      const res = await client.post('/_report', [...(type ? [['type', type === 'initializing' ? 'initialising' : type] as [string, string]] : []), ['format', 'text']]);
      io.out(res.body);
      return res.status < 400 ? 0 : 1;
    }
    case 'validate': {
      const pid = readPidfile(pidfile);
      if (pid !== undefined) {
        process.kill(pid, 'SIGUSR1');
        io.out(`warden daemon with PID ${pid} awakened`);
      }
      const res = await client.post('/_status', [['format', 'json']]);
      const json = JSON.parse(res.body) as { services: Array<{ status: string; monitor: string }> };
      const text = await client.post('/_status', [['format', 'text']]);
      io.out(text.body);
      return json.services.every((s) => s.status === 'OK' && s.monitor !== 'not monitored') ? 0 : 1;
    }
  }
  return 1;
}
