import { accessSync, constants } from 'node:fs';
import type { ActionSpec, Diagnostic, ServiceModel } from '../model.js';

/** Events of the tests that make a `check host` complete: port, url, unixsocket (connection) and ping (icmp). */
const HOST_TEST_EVENTS: ReadonlySet<string> = new Set(['connection', 'icmp']);
/** Tests that make a `check program` complete: status, content, and warden's `nagios`. */
const PROGRAM_TESTS: ReadonlySet<string> = new Set(['program.status', 'program.content', 'program.nagios']);

/**
 * Monit's checks on a service once its block is read, in Monit's words: a `check host`
 * needs a port, url or ping test (S13), a `check program` a status or content test (S20),
 * a network service may not mix `link up` and `link down` (N03). Monit runs them when the
 * next `check` starts, and for the last service only when the file had no other error.
 */
export function serviceErrors(s: ServiceModel): string[] {
  const errors: string[] = [];
  if (s.monitType === 'host' && !s.rules.some((r) => !r.implicit && HOST_TEST_EVENTS.has(r.event))) {
    errors.push(`'check host' statement is incomplete: Please specify a port number to test\n or an icmp test at the remote host: '${s.name}'`);
  }
  if (s.monitType === 'program' && !s.rules.some((r) => !r.implicit && (PROGRAM_TESTS.has(r.test.name) || r.event === 'status' || r.event === 'content'))) {
    errors.push(`'check program ${s.name}' is incomplete: Please add a 'status' or 'content' test`);
  }
  if (s.monitType === 'network') {
    const links = new Set(s.rules.filter((r) => r.test.name === 'network.link').map((r) => (r.options as { check?: string }).check));
    if (links.has('up') && links.has('down')) {
      const iface = (s.target as { interface?: string; address?: string }).interface ?? (s.target as { address?: string }).address ?? s.name;
      errors.push(`${s.pos.file}:${s.pos.line}: Mixing link up and down tests is not supported '${iface}'`);
    }
  }
  return errors;
}

/** The programs of start/stop/restart and `exec` actions that do not exist: Monit warns. */
export function programWarnings(services: readonly ServiceModel[]): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const runnable = new Map<string, boolean>();
  for (const s of services) {
    if (s.start) warnMissing(s.start.argv[0], s.start.pos, warnings, runnable);
    if (s.stop) warnMissing(s.stop.argv[0], s.stop.pos, warnings, runnable);
    if (s.restart) warnMissing(s.restart.argv[0], s.restart.pos, warnings, runnable);
    for (const rule of s.rules) {
      warnMissingExec(rule.action, warnings, runnable);
      if (rule.elseAction) warnMissingExec(rule.elseAction, warnings, runnable);
    }
  }
  return warnings;
}

/** The program of an action that runs one (`exec`), checked as {@link warnMissing}. */
function warnMissingExec(action: ActionSpec, warnings: Diagnostic[], runnable: Map<string, boolean>): void {
  const argv = (action.options as { argv?: readonly string[] } | undefined)?.argv;
  if (argv) warnMissing(argv[0], action.pos, warnings, runnable);
}

/** Monit warns, at parse time, when a program it will run is not an executable file (absolute paths only). */
function warnMissing(program: string | undefined, pos: { file: string; line: number }, warnings: Diagnostic[], runnable: Map<string, boolean>): void {
  if (!program?.startsWith('/')) return;
  let ok = runnable.get(program);
  if (ok === undefined) {
    try {
      accessSync(program, constants.X_OK);
      ok = true;
    } catch {
      ok = false;
    }
    runnable.set(program, ok);
  }
  if (!ok) warnings.push({ file: pos.file, line: pos.line, message: `Program does not exist: '${program}'` });
}
