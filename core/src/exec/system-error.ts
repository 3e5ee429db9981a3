import { getSystemErrorMap } from 'node:util';

/**
 * The C library's wording for a failed system call (`No such file or directory`), as Monit
 * prints after ` -- `; falls back to the error's own message when it carries no errno.
 */
export function describeSystemError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.errno === 'number') {
    const entry = getSystemErrorMap().get(e.errno);
    if (entry) return entry[1].charAt(0).toUpperCase() + entry[1].slice(1);
  }
  return e instanceof Error ? e.message : String(err);
}
