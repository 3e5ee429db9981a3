import { existsSync } from 'node:fs';
import { ParseError, splitCommand, type TokenStream } from '@warden/sdk';

/** Monit's default `programTimeout` (A31): 300 s. */
export const DEFAULT_PROGRAM_TIMEOUT_MS = 300_000;

/** The header of `check program NAME [with] path "CMD ARGS" [as uid U] [and gid G] [with timeout N seconds]`. */
export interface ProgramOptions {
  /** The command as written, for status pages. */
  readonly command: string;
  readonly argv: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
  /** Kill the program when it runs longer than this. */
  readonly timeoutMs: number;
}

/**
 * Parse the program header (Monit B11). The command is a quoted string or a bare absolute
 * path, split into argv like a shell without expansion. Its program must exist now: Monit
 * checks this at parse time (S21). Ids are numeric here; user and group names are not
 * resolved yet.
 */
export function parseProgramTarget(ts: TokenStream): ProgramOptions {
  ts.expect('path');
  const tok = ts.peek();
  const command = tok.kind === 'string' ? ts.string() : ts.path();
  const argv = splitCommand(command);
  const program = argv[0];
  if (program === undefined) ts.syntaxError('a command', tok);
  if (!existsSync(program)) {
    // Monit S21, both lines.
    throw new ParseError(tok, `Program does not exist: '${program}'\nA 'check program' statement requires the program to exist '${program}'`);
  }
  let uid: number | undefined;
  let gid: number | undefined;
  let timeoutMs = DEFAULT_PROGRAM_TIMEOUT_MS;
  for (;;) {
    if (ts.accept('uid')) uid = ts.integer('a numeric uid');
    else if (ts.accept('gid')) gid = ts.integer('a numeric gid');
    else if (ts.accept('timeout')) {
      const at = ts.peek();
      timeoutMs = ts.duration();
      if (timeoutMs <= 0) ts.syntaxError('a timeout greater than 0', at);
    } else break;
  }
  return { command, argv, timeoutMs, ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) };
}
