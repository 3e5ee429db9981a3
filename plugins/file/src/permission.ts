import { defineTest, fail, ok, type Token } from '@warden/sdk';
import { isStat, presentStat, type PathTarget } from './path-target.js';

/** `if failed permission OCTAL` keeps the mode; `if changed permission` has none. */
export interface PermissionOptions {
  /** The expected mode bits (`0o644`), for `failed`. */
  readonly mode?: number;
}

/** `0644` the way Monit prints a mode (`%04o`). */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** Read `0640`, `640` or `"0640"` as octal, with Monit's error for anything else (F17). */
function parseOctal(tok: Token, error: (message: string, tok: Token) => never): number {
  const text = tok.kind === 'number' || tok.kind === 'string' || tok.kind === 'word' ? tok.text : '';
  const raw = tok.kind === 'number' ? tok.raw : text;
  const mode = /^[0-7]{1,5}$/.test(raw) ? Number.parseInt(raw, 8) : NaN;
  if (!(mode >= 0 && mode <= 0o7777)) error('Permission statements must have an octal value between 0 and 7777', tok);
  return mode;
}

/**
 * `if failed perm[ission] OCTAL` (Monit C20) and `if changed perm[ission]` (C21): the mode
 * bits (`& 07777`) of a file, fifo or directory. The failed form is a state test; the
 * changed form reports the mode and the rule engine sees it change.
 */
export const permissionTest = defineTest<PermissionOptions, PathTarget>({
  name: 'file.permission',
  summary: 'The permission bits of the path',
  serviceTypes: ['file', 'fifo', 'directory'],
  keywords: ['permission', 'perm'],
  polarities: ['failed', 'changed'],
  event: 'permission',
  codes: {
    'file.permission': 'the mode differs from the expected one',
  },
  parse(ts, ctx) {
    ts.expect('permission', 'perm');
    if (ctx.polarity === 'changed') return { options: {}, condition: { kind: 'changed' }, describe: 'changed permission' };
    const tok = ts.peek();
    if (tok.kind !== 'number' && tok.kind !== 'string') ts.syntaxError('an octal permission');
    const mode = parseOctal(tok, (message, at) => ts.error(message, at));
    ts.next();
    return { options: { mode }, condition: { kind: 'state' }, describe: `failed permission ${formatMode(mode)}` };
  },
  steady: () => true,
  run(ctx) {
    const stat = presentStat(ctx.target, ctx.service.type);
    if (!isStat(stat)) return stat;
    const mode = stat.mode & 0o7777;
    const shown = formatMode(mode);
    const extras = { value: mode, display: shown, observations: { permission: shown } };
    const { path } = ctx.target;
    const expected = ctx.options.mode;
    if (expected === undefined) {
      const previous = ctx.state.lastMode as number | undefined;
      ctx.state.lastMode = mode;
      if (previous !== undefined && previous !== mode) {
        return ok(`permission for ${path} changed from ${formatMode(previous)} to ${shown}`, extras);
      }
      return ok(`permission not changed for ${path}`, extras);
    }
    if (mode !== expected) return fail('file.permission', `permission test failed for ${path} [current permission ${shown}]`, extras);
    return ok(`permission test succeeded [current permission ${shown}]`, extras);
  },
});
