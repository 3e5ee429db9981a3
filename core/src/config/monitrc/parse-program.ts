import { splitCommand, type ArrayTokenStream } from '@warden/sdk';
import type { ProgramSpec } from '../model.js';
import type { UserLookup } from './user-lookup.js';

/**
 * `[program] [=] "CMD" [as] [uid U] [and] [gid G] [with timeout N seconds]` after
 * `start`, `stop` or `restart` (consumed). The command must be double-quoted (Monit M01b).
 */
export function parseProgram(ts: ArrayTokenStream, users: UserLookup): ProgramSpec {
  ts.accept('=');
  const cmdTok = ts.peek();
  if (cmdTok.kind !== 'string' || !cmdTok.raw.startsWith('"')) ts.syntaxError('a double-quoted command', cmdTok);
  ts.next();
  const argv = splitCommand(cmdTok.text);
  if (argv.length === 0) ts.syntaxError('a command', cmdTok);
  let uid: number | undefined;
  let gid: number | undefined;
  let timeoutMs: number | undefined;
  for (;;) {
    if (uid === undefined && ts.accept('uid')) {
      uid = userId(ts, (n) => users.uid(n), 'Requested user not found on the system');
    } else if (gid === undefined && ts.accept('gid')) {
      gid = userId(ts, (n) => users.gid(n), 'Requested group not found on the system');
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

/** A uid or gid by number or by name. */
function userId(ts: ArrayTokenStream, lookup: (name: string) => number | undefined, notFound: string): number {
  const tok = ts.peek();
  if (tok.kind === 'number') return ts.integer('a numeric id');
  if (tok.kind !== 'word' && tok.kind !== 'string') ts.syntaxError('a user or group', tok);
  ts.next();
  const id = lookup(tok.text);
  if (id === undefined) ts.error(notFound, tok);
  return id;
}
