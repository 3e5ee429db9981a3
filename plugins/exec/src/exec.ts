import { actionFailed, defineAction, done, splitCommand, type ActionResult, type SpawnResult, type TokenStream, groupId, userId } from '@warden/sdk';

/** Monit's `programTimeout` (A31): exec programs are killed after 300 s. */
export const EXEC_TIMEOUT_MS = 300_000;

/** `exec "CMD ARGS" [as] [uid U] [and] [gid G]`. */
export interface ExecOptions {
  /** The command as written, for logs and `describe`. */
  readonly command: string;
  readonly argv: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
}

/**
 * `then exec "CMD ARGS" [as uid U] [and gid G]` (Monit E6, E7): run a program for the event,
 * with the MONIT_* variables in its environment, optionally as another user and group.
 * `repeat every N cycles` (E8) is read by core's rule parser, not here.
 */
export const execAction = defineAction<ExecOptions>({
  name: 'exec',
  summary: 'Run a program for the event, optionally as another user and group',
  keywords: ['exec'],
  options: {
    command: { type: 'string', description: 'The command and its arguments, quoted; split like a shell would, without expansion.' },
    uid: { type: 'string', description: 'User to run as, by name or number (the daemon must run as root).' },
    gid: { type: 'string', description: 'Group to run with, by name or number (the daemon must run as root).' },
  },
  parse(ts) {
    const tok = ts.peek();
    const command = tok.kind === 'string' ? ts.string() : ts.path();
    const argv = splitCommand(command);
    if (argv.length === 0) ts.syntaxError('a command', tok);
    let uid: number | undefined;
    let gid: number | undefined;
    for (;;) {
      if (ts.accept('uid')) uid = parseId(ts, 'user');
      else if (ts.accept('gid')) gid = parseId(ts, 'group');
      else break;
    }
    return { command, argv, ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) };
  },
  describe: (options) => `exec "${options.command}"`,
  async run(ctx): Promise<ActionResult> {
    const { command, argv, uid, gid } = ctx.options;
    ctx.log.info(`exec: '${command}'`);
    let result: SpawnResult;
    try {
      result = await ctx.spawn.run({
        argv,
        env: ctx.env,
        timeoutMs: EXEC_TIMEOUT_MS,
        signal: ctx.signal,
        ...(uid === undefined ? {} : { uid }),
        ...(gid === undefined ? {} : { gid }),
      });
    } catch (err) {
      return actionFailed(`exec: '${command}' failed -- ${(err as Error).message}`);
    }
    return verdict(command, result);
  },
});

/** A numeric id, or a name resolved now: Monit refuses unknown names at parse time (T20). */
function parseId(ts: TokenStream, kind: 'user' | 'group'): number {
  const tok = ts.peek();
  if (tok.kind === 'number') return ts.integer(`a ${kind} id`);
  const name = ts.string(`a ${kind} name or id`);
  const id = kind === 'user' ? userId(name) : groupId(name);
  if (id === undefined) ts.error(`Requested ${kind} not found on the system`, tok);
  return id;
}

function verdict(command: string, result: SpawnResult): ActionResult {
  const output = result.output.trim().split('\n', 1)[0]?.trim();
  const tail = output ? ` -- ${output}` : '';
  if (result.spawnError !== undefined) return actionFailed(`exec: '${command}' failed -- ${result.spawnError}`);
  if (result.timedOut) return actionFailed(`exec: '${command}' timed out after ${EXEC_TIMEOUT_MS / 1000} s${tail}`);
  if (result.status === null) return actionFailed(`exec: '${command}' killed by ${result.signal ?? 'a signal'}${tail}`);
  if (result.status !== 0) return actionFailed(`exec: '${command}' failed with exit status ${result.status}${tail}`);
  // The first line of output (bounded by the spawner's output limit) goes to the log.
  return done(`exec: '${command}'${tail}`);
}
