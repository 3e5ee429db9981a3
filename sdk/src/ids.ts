import { readFileSync } from 'node:fs';

/**
 * Resolve user and group names to numeric ids from `/etc/passwd` and `/etc/group`, as Monit
 * does at parse time (D23). Node has no `getpwnam`; reading the two files covers local
 * accounts, not NSS sources such as LDAP (use numeric ids for those).
 */

/** The id of `name` in passwd/group-formatted `text` (`name:x:ID:…`), or undefined. */
export function findId(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const fields = line.split(':');
    if (fields[0] !== name || fields.length < 3) continue;
    const id = Number(fields[2]);
    if (fields[2] !== '' && Number.isInteger(id) && id >= 0) return id;
  }
  return undefined;
}

/** The uid of user `name`, or undefined when the passwd file does not list it. */
export function userId(name: string, passwdFile = '/etc/passwd'): number | undefined {
  return findId(readOrEmpty(passwdFile), name);
}

/** The gid of group `name`, or undefined when the group file does not list it. */
export function groupId(name: string, groupFile = '/etc/group'): number | undefined {
  return findId(readOrEmpty(groupFile), name);
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
