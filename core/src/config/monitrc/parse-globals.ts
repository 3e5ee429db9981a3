import type { Token } from '@warden/sdk';
import type { LogTarget } from '../model.js';
import { parseAlertRecipient } from './parse-alert.js';
import { parseHttpd } from './parse-httpd.js';
import { parseSetMisc, POLL_TIME_INVALID } from './parse-set-misc.js';
import { ControlFileError } from './control-file-error.js';
import type { ParserContext } from './parser-context.js';

/** Syslog facilities `set log syslog facility F` accepts (reference A6). */
export const SYSLOG_FACILITIES: readonly string[] = [
  'log_local0', 'log_local1', 'log_local2', 'log_local3', 'log_local4', 'log_local5',
  'log_local6', 'log_local7', 'log_daemon', 'log_user',
];

/** `set X …` after its `set` (consumed). Any other X is `syntax error 'X'`, as in Monit. */
export function parseSet(ctx: ParserContext): void {
  const { ts, globals } = ctx;
  const tok = ts.peek();
  switch (tok.kind === 'word' ? tok.text.toLowerCase() : '') {
    case 'daemon': {
      ts.next();
      const interval = ts.integer('a poll time in seconds');
      if (interval <= 0) throw new ControlFileError([POLL_TIME_INVALID]);
      let startDelay = 0;
      if (ts.accept('start')) {
        ts.expect('delay');
        startDelay = ts.integer('a start delay in seconds');
      }
      globals.daemon = { interval, startDelay, pos: { file: tok.file, line: tok.line } };
      return;
    }
    case 'log':
    case 'logfile':
      ts.next();
      globals.log = parseLogTarget(ctx);
      return;
    case 'pidfile':
      ts.next();
      globals.pidfile = ts.path();
      return;
    case 'statefile':
      ts.next();
      globals.statefile = ts.path();
      return;
    case 'idfile':
      ts.next();
      globals.idfile = ts.path();
      return;
    case 'alert':
      ts.next();
      globals.alerts.push(parseAlertRecipient(ts));
      return;
    case 'httpd':
      ts.next();
      globals.httpd = parseHttpd(ts, tok, ctx.users, (t, message) => ctx.warnings.push({ file: t.file, line: t.line, message }));
      return;
    default: {
      if (parseSetMisc(ctx, tok.kind === 'word' ? tok.text.toLowerCase() : '')) return;
      const setting = tok.kind === 'word' ? ctx.registry.setting(tok.text) : undefined;
      if (!setting) return ts.syntaxError(undefined, tok);
      ts.next();
      const value = setting.parse(ts);
      if (setting.repeatable) {
        const list = (globals.settings[setting.name] ??= []) as unknown[];
        list.push(value);
      } else {
        globals.settings[setting.name] = value;
      }
    }
  }
}

/** `set log FILE|syslog [facility F] [format text|json]` (`format` is warden's, for log shippers). */
function parseLogTarget({ ts }: ParserContext): LogTarget {
  if (!ts.accept('syslog')) return { kind: 'file', path: ts.path(), ...parseLogFormat(ts) };
  let facility = 'log_user';
  if (ts.accept('facility')) {
    const tok = ts.next();
    facility = tok.text.toLowerCase();
    if (!SYSLOG_FACILITIES.includes(facility)) ts.error('Invalid syslog facility', tok);
  }
  return { kind: 'syslog', facility, ...parseLogFormat(ts) };
}

function parseLogFormat(ts: ParserContext['ts']): { format?: 'text' | 'json' } {
  if (!ts.accept('format')) return {};
  const tok = ts.next();
  const format = tok.text.toLowerCase();
  if (format !== 'text' && format !== 'json') ts.error("Invalid log format: use 'text' or 'json'", tok);
  return { format };
}

/** `load "<package or path>"` after its `load` (consumed, passed as `loadTok`). */
export function parseLoad({ ts, globals }: ParserContext, loadTok: Token): void {
  globals.loads.push({ spec: ts.string('a package name or path'), pos: { file: loadTok.file, line: loadTok.line } });
}
