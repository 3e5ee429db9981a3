import type { TokenStream } from '@warden/sdk';

/** `username U` / `password P` of mysql, mysqls, pgsql, smtp, smtps, mqtt (Monit P18–P34). */
export interface Credentials {
  readonly username?: string;
  readonly password?: string;
}

/**
 * Read a protocol's options in any order until a word none of `handlers` takes; each handler
 * consumes its keyword's value. Returns how many options were read.
 */
export function parseOptionWords(ts: TokenStream, handlers: Readonly<Record<string, () => void>>): number {
  let seen = 0;
  for (; seen < 64; seen++) {
    const word = ts.peek().kind === 'word' ? ts.peek().text.toLowerCase() : '';
    const handler = Object.hasOwn(handlers, word) ? handlers[word] : undefined;
    if (!handler) break;
    ts.next();
    handler();
  }
  return seen;
}

/** `[username U] [password P] [extra…]`: the credentials plus whatever `extra` handlers read. */
export function parseCredentials(ts: TokenStream, extra: Readonly<Record<string, () => void>> = {}): Credentials {
  const c: { username?: string; password?: string } = {};
  parseOptionWords(ts, {
    username: () => { c.username = ts.string('a user name'); },
    password: () => { c.password = ts.string('a password'); },
    ...extra,
  });
  return c;
}

/** The option docs every credentialed protocol shares. */
export const CREDENTIAL_DOCS = {
  username: { type: 'string', description: 'User to log in as.' },
  password: { type: 'string', description: 'Password of that user.' },
} as const;
