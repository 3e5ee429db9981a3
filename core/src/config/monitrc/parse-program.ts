import { splitCommand, type ArrayTokenStream } from '@warden/sdk';
import type { ProgramSpec } from '../model.js';
import type { UserLookup } from './user-lookup.js';

/**
 * `[program] [=] "CMD" [as] [uid U] [and] [gid G] [with timeout N seconds]` after
 * `start`, `stop` or `restart` (consumed). The command must be double-quoted (Monit M01b).
 */
export function parseProgram(ts: ArrayTokenStream, users: UserLookup, errors?: string[]): ProgramSpec {
  const eq = ts.accept('=');
  const cmdTok = ts.peek();
  // Monit's lexer reads `= '…'` as one unknown token and quotes the `=` (M01b).
  if (cmdTok.kind !== 'string' || !cmdTok.raw.startsWith('"')) ts.syntaxError('a double-quoted command', eq ?? cmdTok);
  ts.next();
  const argv = splitCommand(cmdTok.text);
  if (argv.length === 0) ts.syntaxError('a command', cmdTok);
  let uid: number | undefined;
  let gid: number | undefined;
  let timeoutMs: number | undefined;
  for (;;) {
    if (uid === undefined && ts.accept('uid')) {
      uid = userId(ts, (n) => users.uid(n), 'Requested user not found on the system', errors);
    } else if (gid === undefined && ts.accept('gid')) {
      gid = userId(ts, (n) => users.gid(n), 'Requested group not found on the system', errors);
    } else if (timeoutMs === undefined && ts.accept('timeout')) {
      const tok = ts.peek();
      timeoutMs = ts.duration();
      if (timeoutMs <= 0) ts.error('The program timeout must be greater than 0', tok);
    } else {
      break;
    }
  }
  return {
    command: cmdTok.text,
    argv,
    ...(uid !== undefined ? { uid } : {}),
    ...(gid !== undefined ? { gid } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    pos: { file: cmdTok.file, line: cmdTok.line },
  };
}

/**
 * A uid or gid by number or by name. An unknown name goes to `errors` when given (parsing
 * goes on, Monit reports them all), else it is thrown.
 */
function userId(ts: ArrayTokenStream, lookup: (name: string) => number | undefined, notFound: string, errors?: string[]): number | undefined {
  const tok = ts.peek();
  if (tok.kind === 'number') return ts.integer('a numeric id');
  if (tok.kind !== 'word' && tok.kind !== 'string') ts.syntaxError('a user or group', tok);
  ts.next();
  const id = lookup(tok.text);
  if (id !== undefined) return id;
  if (!errors) return ts.error(notFound, tok);
  errors.push(`${tok.file}:${tok.line}: ${notFound} '${tok.raw}'`);
  return undefined;
}
