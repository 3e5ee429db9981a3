import { readFileSync } from 'node:fs';
import { defineTest, fail, ok, type TestDefinition, type TokenStream } from '@warden/sdk';
import { notMounted } from './resource.js';
import type { FilesystemTarget } from './target.js';

/** `failed permission MODE`: the mode in octal. */
export interface PermissionOptions {
  readonly mode: number;
}

/**
 * `if failed permission MODE` on the mount point (Monit B7 with C26): fails when the
 * mount point's permission bits differ, in Monit's words
 * (`permission test failed for / [current permission 0700]`).
 */
export const permissionTest = defineTest<PermissionOptions, FilesystemTarget>({
  name: 'filesystem.permission',
  summary: 'Permission bits of the mount point',
  serviceTypes: ['filesystem'],
  keywords: ['permission', 'perm'],
  polarities: ['failed'],
  event: 'permission',
  codes: { 'filesystem.permission': 'the mount point has other permission bits' },
  parse(ts) {
    ts.expect('permission', 'perm');
    const tok = ts.peek();
    if ((tok.kind !== 'number' && tok.kind !== 'word') || !/^[0-7]{1,4}$/.test(tok.raw)) ts.syntaxError('an octal permission', tok);
    ts.next();
    const mode = parseInt(tok.raw, 8);
    return { options: { mode }, condition: { kind: 'state' }, describe: `failed permission ${octal(mode)}` };
  },
  steady: () => true,
  run(ctx) {
    const missing = notMounted(ctx.target);
    if (missing) return missing;
    const mode = ctx.target.owner!.mode & 0o7777;
    if (mode !== ctx.options.mode) {
      return fail('filesystem.permission', `permission test failed for ${ctx.target.path} [current permission ${octal(mode)}]`, { value: octal(mode) });
    }
    return ok(`permission test succeeded [current permission ${octal(mode)}]`, { value: octal(mode), observations: { permission: octal(mode) } });
  },
});

/** `failed uid|gid ID`: the numeric id, resolved from a name at parse time. */
export interface OwnerOptions {
  readonly id: number;
}

/** `if failed uid USER` on the mount point. */
export const uidTest = ownerTest('uid', '/etc/passwd');

/** `if failed gid GROUP` on the mount point. */
export const gidTest = ownerTest('gid', '/etc/group');

function ownerTest(which: 'uid' | 'gid', database: string): TestDefinition<OwnerOptions, FilesystemTarget> {
  const code = `filesystem.${which}`;
  return defineTest<OwnerOptions, FilesystemTarget>({
    name: code,
    summary: `Owning ${which === 'uid' ? 'user' : 'group'} of the mount point`,
    serviceTypes: ['filesystem'],
    keywords: [which],
    polarities: ['failed'],
    event: which,
    codes: { [code]: `the mount point is owned by another ${which === 'uid' ? 'user' : 'group'}` },
    parse(ts) {
      ts.expect(which);
      const id = parseId(ts, database, which);
      return { options: { id }, condition: { kind: 'state' }, describe: `failed ${which} ${id}` };
    },
    steady: () => true,
    run(ctx) {
      const missing = notMounted(ctx.target);
      if (missing) return missing;
      const current = ctx.target.owner![which];
      // Monit names the service, not the path, in this one message.
      if (current !== ctx.options.id) return fail(code, `${which} test failed for ${ctx.service.name} -- current ${which} is ${current}`, { value: current });
      return ok(`${which} test succeeded [current ${which} = ${current}]`, { value: current, observations: { [which]: current } });
    },
  });
}

/** A numeric id, or a user or group name looked up in `/etc/passwd` or `/etc/group`. */
function parseId(ts: TokenStream, database: string, which: string): number {
  const tok = ts.peek();
  if (tok.kind === 'number' && Number.isInteger(tok.value)) return ts.integer();
  const name = ts.string(`a ${which === 'uid' ? 'user' : 'group'} name or id`);
  let text = '';
  try {
    text = readFileSync(database, 'utf8');
  } catch {
    // No database: every name is unknown.
  }
  const line = text.split('\n').find((l) => l.split(':')[0] === name);
  const id = line ? Number(line.split(':')[2]) : NaN;
  if (!Number.isInteger(id)) ts.error(`${which === 'uid' ? 'user' : 'group'} not found`, tok);
  return id;
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
