import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { getPriority } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { StartSpec } from '@warden/sdk';
import type { JobOptions } from './job-options.js';

export type { StartSpec } from '@warden/sdk';

/** A user from `/etc/passwd`. */
export interface JobUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The system lookups a launch needs; tests pass their own. */
export interface LaunchDeps {
  /** A user by name or numeric uid; undefined when unknown. */
  readonly user: (name: string) => JobUser | undefined;
  /** The absolute path of a helper program (`prlimit`, `setpriv`), or undefined. */
  readonly tool: (name: string) => string | undefined;
}

/** Real lookups: `/etc/passwd` and `$PATH` (plus the sbin folders). */
export const systemLaunchDeps: LaunchDeps = {
  user: (name) => {
    let text: string;
    try {
      text = readFileSync('/etc/passwd', 'utf8');
    } catch {
      return undefined;
    }
    for (const line of text.split('\n')) {
      const [n, , u, g] = line.split(':');
      if (n && u && g && (n === name || u === name)) return { name: n, uid: Number(u), gid: Number(g) };
    }
    return undefined;
  },
  tool: (name) => {
    const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
    for (const d of dirs) {
      const p = join(d, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
    return undefined;
  },
};

/** The program path as `execv` would take it: relative paths (even bare names) from `dir`. */
export function programPath(options: JobOptions): string | undefined {
  const argv0 = options.argv[0];
  if (argv0 === undefined) return undefined;
  return isAbsolute(argv0) ? argv0 : resolve(options.dir ?? process.cwd(), argv0);
}

/** A path of `out`/`err`/`in`/`depends`, relative to `dir`. */
export function jobPath(options: JobOptions, path: string): string {
  return isAbsolute(path) ? path : resolve(options.dir ?? process.cwd(), path);
}

/**
 * Build how to start the job, or say in pmtr's words why it cannot start (`can't exec
 * PATH: …`, `unknown user: U`). The command runs without a shell; `ulimit`, `cpu`, `nice`
 * and `user` are applied by util-linux's `prlimit`, `taskset`, `nice` and `setpriv`
 * wrapped around it, in pmtr's order (limits, affinity and priority as root, then the
 * user switch with its supplementary groups), each `exec`ing the next.
 */
export function buildLaunch(options: JobOptions, deps: LaunchDeps = systemLaunchDeps): StartSpec | string {
  const program = programPath(options);
  if (program === undefined) return "can't exec (null): no cmd";
  try {
    if (!statSync(program).isFile()) return `can't exec ${options.argv[0]}: Permission denied`;
    accessSync(program, constants.X_OK);
  } catch (err) {
    return `can't exec ${options.argv[0]}: ${errnoText(err)}`;
  }
  const wrap: string[] = [];
  const need = (tool: string): string => {
    const path = deps.tool(tool);
    if (!path) throw new Error(`${tool} (util-linux) is not installed`);
    return path;
  };
  let user: JobUser | undefined;
  if (options.user !== undefined) {
    user = deps.user(options.user);
    if (!user) return `unknown user: ${options.user}`;
    if (options.gid !== undefined) user = { ...user, gid: options.gid };
  } else if (options.gid !== undefined) {
    user = { name: String(process.getuid?.() ?? 0), uid: process.getuid?.() ?? 0, gid: options.gid };
  }
  try {
    if (options.ulimits.length > 0) {
      wrap.push(need('prlimit'), ...options.ulimits.map((l) => `--${l.resource}=${l.value}:${l.value}`), '--');
    }
    if (options.cpu !== undefined) wrap.push(need('taskset'), '-c', options.cpu);
    if (options.nice !== undefined) {
      const delta = options.nice - getPriority();
      if (delta !== 0) wrap.push(need('nice'), '-n', String(delta));
    }
    if (user) {
      wrap.push(need('setpriv'), `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--');
    }
  } catch (err) {
    return `can't start: ${(err as Error).message}`;
  }
  const env: Record<string, string> = {};
  for (const kv of options.env) {
    const eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  // Wrappers search $PATH for what they exec: hand them the resolved path as argv[0].
  const argv = [...wrap, wrap.length > 0 ? program : options.argv[0]!, ...options.argv.slice(1)];
  return {
    argv: wrap.length > 0 || isAbsolute(options.argv[0]!) ? argv : [program, ...options.argv.slice(1)],
    env,
    ...(options.dir !== undefined ? { cwd: options.dir } : {}),
    ...(options.out !== undefined ? { stdoutFile: jobPath(options, options.out) } : {}),
    ...(options.err !== undefined ? { stderrFile: jobPath(options, options.err) } : {}),
    stdinFile: options.in !== undefined ? jobPath(options, options.in) : '/dev/null',
  };
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'ENOTDIR') return 'Not a directory';
  return (err as Error).message;
}
