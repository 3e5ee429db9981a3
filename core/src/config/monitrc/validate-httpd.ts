import { accessSync, constants, statSync } from 'node:fs';
import type { HttpdSettings } from '../model.js';

/**
 * Monit's checks on `set httpd` once the file is read, in its words (reference A25, A26):
 * the TLS PEM files exist with mode at most 0750, and the htpasswd files are readable.
 * Returns the errors; each is fatal, all are reported.
 */
export function validateHttpd(httpd: HttpdSettings | undefined): string[] {
  if (!httpd) return [];
  const errors: string[] = [];
  const at = `${httpd.pos.file}:${httpd.pos.line}`;
  for (const pem of [httpd.ssl?.pemfile, httpd.ssl?.pemchain, httpd.ssl?.pemkey]) {
    if (pem === undefined) continue;
    let mode: number;
    try {
      mode = statSync(pem).mode & 0o7777;
    } catch {
      errors.push(`${at}: SSL server PEM file doesn't exist '${pem}'`);
      continue;
    }
    if (mode & ~0o750) {
      errors.push(`The SSL server PEM file '${pem}' permission ${mode.toString(8).padStart(4, '0')} is wrong, maximum 0750 allowed`);
      errors.push(`${at}: SSL server PEM file permissions check failed ''`);
    }
  }
  for (const h of httpd.htpasswd) {
    try {
      accessSync(h.path, constants.R_OK);
    } catch {
      const user = h.users.at(-1);
      errors.push(`${at}: Cannot read htpasswd (${h.path})${user !== undefined ? ` for user ${user} '${user}'` : ` '${h.path}'`}`);
    }
  }
  return errors;
}
