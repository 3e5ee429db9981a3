import { readFileSync } from 'node:fs';

/** Resolves user and group names for `as uid NAME and gid NAME`. */
export interface UserLookup {
  uid(name: string): number | undefined;
  gid(name: string): number | undefined;
}

/** A lookup over fixed tables, for tests. */
export function staticUserLookup(users: Readonly<Record<string, number>>, groups: Readonly<Record<string, number>>): UserLookup {
  return {
    uid: (name) => users[name],
    gid: (name) => groups[name],
  };
}

/**
 * Reads `/etc/passwd` and `/etc/group` (colon-separated, id in the third field) the first
 * time a name is asked for. NSS sources beyond those files (LDAP, sssd) are not consulted.
 */
export function systemUserLookup(
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): UserLookup {
  const tables = new Map<string, Map<string, number>>();
  const table = (path: string): Map<string, number> => {
    let t = tables.get(path);
    if (!t) {
      t = parseIdTable(safeRead(readFile, path));
      tables.set(path, t);
    }
    return t;
  };
  return {
    uid: (name) => table('/etc/passwd').get(name),
    gid: (name) => table('/etc/group').get(name),
  };
}

function safeRead(readFile: (path: string) => string, path: string): string {
  try {
    return readFile(path);
  } catch {
    return '';
  }
}

/** `name:x:ID:…` lines to a name → id map. */
export function parseIdTable(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    const id = Number(fields[2]);
    if (fields.length >= 3 && fields[0] && Number.isInteger(id) && !out.has(fields[0])) out.set(fields[0], id);
  }
  return out;
}
