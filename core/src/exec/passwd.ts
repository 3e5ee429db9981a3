import { readFileSync } from 'node:fs';

/** One `/etc/passwd` entry, as much as spawning as that user needs. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/**
 * The first `/etc/passwd` entry with `uid`; NSS sources beyond the file (LDAP, sssd) are not
 * consulted. Undefined when the file is unreadable or holds no such uid.
 */
export function lookupUid(
  uid: number,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): PasswdEntry | undefined {
  let text: string;
  try {
    text = readFile('/etc/passwd');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [name, , u, g, , home] = line.split(':');
    if (name && Number(u) === uid && u !== '' && Number.isInteger(Number(g)) && g !== '') {
      return { name, uid, gid: Number(g), home: home ?? '/' };
    }
  }
  return undefined;
}
