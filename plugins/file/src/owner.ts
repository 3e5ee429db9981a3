import { defineTest, fail, ok, type TestDefinition, type TokenStream, groupId, userId } from '@warden/sdk';
import { isStat, presentStat, type PathTarget } from './path-target.js';

/** `if failed uid USER|N` / `if failed gid GROUP|N`: the id, resolved at parse time. */
export interface OwnerOptions {
  readonly id: number;
  /** The name as written, when it was a name. */
  readonly name?: string;
}


type Which = 'uid' | 'gid';

const WORDS: Readonly<Record<Which, { notFound: string; field: 'uid' | 'gid' }>> = {
  uid: { notFound: 'Requested user not found on the system', field: 'uid' },
  gid: { notFound: 'Requested group not found on the system', field: 'gid' },
};

function parseOwner(ts: TokenStream, which: Which): OwnerOptions {
  ts.expect(which);
  const tok = ts.peek();
  if (tok.kind === 'number') return { id: ts.integer(which === 'uid' ? 'a uid' : 'a gid') };
  if (tok.kind !== 'string' && tok.kind !== 'word') ts.syntaxError(which === 'uid' ? 'a user name or uid' : 'a group name or gid');
  const id = (which === 'uid' ? userId(tok.text) : groupId(tok.text));
  if (id === undefined) ts.error(WORDS[which].notFound, tok);
  ts.next();
  return { id, name: tok.text };
}

/** Monit C16/C17: one definition per id, the same but for the words. */
function ownerTest(which: Which): TestDefinition<OwnerOptions, PathTarget> {
  const code = `file.${which}`;
  return defineTest<OwnerOptions, PathTarget>({
    name: code,
    summary: which === 'uid' ? 'The owner (uid) of the path' : 'The group (gid) of the path',
    serviceTypes: ['file', 'fifo', 'directory'],
    keywords: [which],
    polarities: ['failed'],
    event: which,
    codes: { [code]: `the path's ${which} differs from the expected one` },
    parse(ts) {
      const options = parseOwner(ts, which);
      return { options, condition: { kind: 'state' }, describe: `failed ${which} ${options.name ?? options.id}` };
    },
    steady: () => true,
    run(ctx) {
      const stat = presentStat(ctx.target, ctx.service.type);
      if (!isStat(stat)) return stat;
      const id = stat[WORDS[which].field];
      const extras = { value: id, observations: { [which]: id } };
      if (id !== ctx.options.id) return fail(code, `${which} test failed for ${ctx.service.name} -- current ${which} is ${id}`, extras);
      return ok(`${which} test succeeded [current ${which} = ${id}]`, extras);
    },
  });
}

/** `if failed uid USER|N` (Monit C16) for a file, fifo or directory. */
export const uidTest = ownerTest('uid');

/** `if failed gid GROUP|N` (Monit C17) for a file, fifo or directory. */
export const gidTest = ownerTest('gid');
