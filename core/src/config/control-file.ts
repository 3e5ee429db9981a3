import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Monit's control-file lookup order when `-c` is not given (reference A36). */
export function controlFileCandidates(home = homedir(), cwd = process.cwd()): string[] {
  return [
    join(home, '.monitrc'),
    '/etc/monitrc',
    '/etc/monit/monitrc',
    '/usr/local/etc/monitrc',
    join(cwd, 'monitrc'),
  ];
}

/** The control file to use: `-c FILE`, else the first of `candidates` that exists. */
export function findControlFile(explicit?: string, candidates: readonly string[] = controlFileCandidates()): string | undefined {
  if (explicit) return resolve(explicit);
  return candidates.find((f) => existsSync(f));
}

/** What the control-file checks found: fatal errors stop start-up, warnings are logged. */
export interface ControlFileCheck {
  readonly errors: string[];
  readonly warnings: string[];
}

/**
 * Monit refuses a control file readable by others (mode > 0700) or owned by someone else
 * (reference A37). A checkout from git is 0644, so warden only *warns* when others can read
 * it and refuses when others can write it (they could make the daemon run their commands).
 */
export function checkControlFile(file: string, uid = process.getuid?.()): ControlFileCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  let st;
  try {
    st = statSync(file);
  } catch {
    return { errors: [`The control file '${file}' is not a file`], warnings };
  }
  if (!st.isFile()) return { errors: [`The control file '${file}' is not a file`], warnings };
  const mode = st.mode & 0o777;
  const octal = mode.toString(8).padStart(4, '0');
  if (mode & 0o022) {
    errors.push(`The control file '${file}' permission ${octal} is wrong: it must not be writable by group or others`);
  } else if (mode & 0o077) {
    warnings.push(`The control file '${file}' permission ${octal} is wider than Monit's maximum 0700`);
  }
  if (uid !== undefined && st.uid !== uid) errors.push(`The control file '${file}' must be owned by you.`);
  return { errors, warnings };
}
