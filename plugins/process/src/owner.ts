import { defineTest, fail, ok, skipped, type TokenStream, groupId, userId } from '@warden/sdk';
import type { ProcessTarget } from './target.js';

/** `failed uid|euid USER|N` / `failed gid GROUP|N`: the id, resolved at parse time. */
export interface OwnerOptions {
  readonly which: 'uid' | 'euid' | 'gid';
  readonly id: number;
  /** The name as written, when it was a name. */
  readonly name?: string;
}


/** A numeric id, or a name looked up once, at parse time (Monit: an unknown name is fatal). */
function parseOwner(ts: TokenStream): OwnerOptions {
  const which = ts.expect('uid', 'euid', 'gid').text.toLowerCase() as OwnerOptions['which'];
  const group = which === 'gid';
  const tok = ts.peek();
  if (tok.kind === 'number') return { which, id: ts.integer(group ? 'a gid' : 'a uid') };
  if (tok.kind !== 'string' && tok.kind !== 'word') ts.syntaxError(group ? 'a group name or gid' : 'a user name or uid');
  const id = (group ? groupId(tok.text) : userId(tok.text));
  if (id === undefined) ts.error(group ? 'Requested group not found on the system' : 'Requested user not found on the system', tok);
  ts.next();
  return { which, id, name: tok.text };
}

/**
 * `if failed uid USER|N`, `if failed euid USER|N` (Monit C16) and `if failed gid GROUP|N`
 * (C17) on a process: its real uid, effective uid or real gid (`/proc/PID/status`, read by
 * the service once per process) differs from the one named.
 */
export const ownerTest = defineTest<OwnerOptions, ProcessTarget>({
  name: 'process.owner',
  summary: 'Real or effective user, or group, of the process',
  serviceTypes: ['process'],
  keywords: ['uid', 'euid', 'gid'],
  polarities: ['failed'],
  event: 'uid',
  codes: {
    'process.uid': 'the process runs as another user (real or effective uid)',
    'process.gid': 'the process runs with another group',
  },
  parse(ts) {
    const options = parseOwner(ts);
    return {
      options,
      condition: { kind: 'state' },
      event: options.which === 'gid' ? 'gid' : 'uid',
      describe: `failed ${options.which} ${options.name ?? options.id}`,
    };
  },
  run(ctx) {
    const { pid, ids } = ctx.target;
    if (pid === undefined) return skipped('process is not running');
    const { which, id: expected } = ctx.options;
    if (!ids) return skipped(`no data are available for ${which} test -- cannot read /proc/${pid}/status`);
    const id = ids[which];
    const extras = { value: id, observations: { [which]: id } };
    if (id !== expected) return fail(which === 'gid' ? 'process.gid' : 'process.uid', `${which} test failed for ${ctx.service.name} -- current ${which} is ${id}`, extras);
    return ok(`${which} test succeeded [current ${which} = ${id}]`, extras);
  },
  // The ids are read by `observe`, once per process.
  steady: () => true,
});
