import type { ArrayTokenStream, Token } from '@warden/sdk';
import type { HttpdSettings } from '../model.js';
import type { UserLookup } from './user-lookup.js';

/** Words that continue a `set httpd` statement; anything else ends it. */
const HTTPD_WORDS = ['port', 'address', 'unixsocket', 'allow', 'ssl', 'signature', 'read-only', 'readonly', 'uid', 'gid', 'permission', 'pemfile', 'clientpemfile', 'allowselfcertification'];

/** Words that can follow `allow` and are not a host. */
const HASHES = ['cleartext', 'md5', 'crypt'];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * `set httpd port N [read-only] [use address A] [with ssl {…}] [signature enable|disable]
 * allow …` or `set httpd unixsocket PATH [uid U] [gid G] [permission OCT]` after
 * `set httpd` (consumed). Monit's forms A20–A28, the pre-5.21 `ssl enable pemfile P` too.
 */
export function parseHttpd(ts: ArrayTokenStream, httpdTok: Token, users: UserLookup, warn: (tok: Token, message: string) => void): HttpdSettings {
  const s: Mutable<HttpdSettings> & { users: HttpdSettings['users'][number][]; allowHosts: string[]; htpasswd: HttpdSettings['htpasswd'][number][]; pamGroups: string[] } = {
    readOnly: false, allowHosts: [], users: [], htpasswd: [], pamGroups: [], signature: true,
    pos: { file: httpdTok.file, line: httpdTok.line },
  };
  let socket: { path: string; uid?: number; gid?: number; permission?: number } | undefined;
  while (ts.at(...HTTPD_WORDS)) {
    const tok = ts.next();
    switch (tok.text.toLowerCase()) {
      case 'port': {
        const portTok = ts.peek();
        const port = ts.integer('a port number');
        if (port < 1 || port > 65535) ts.error('The port number must be between 1 and 65535', portTok);
        s.port = port;
        break;
      }
      case 'address':
        s.address = ts.string('an address');
        break;
      case 'unixsocket':
        socket = { path: ts.path() };
        break;
      case 'uid':
      case 'gid': {
        if (!socket) ts.syntaxError('unixsocket before uid/gid', tok);
        const idTok = ts.peek();
        const id = idTok.kind === 'number' ? ts.integer() : tok.text.toLowerCase() === 'uid' ? users.uid(ts.string()) : users.gid(ts.string());
        if (id === undefined) ts.error(`Requested ${tok.text.toLowerCase() === 'uid' ? 'user' : 'group'} not found on the system`, idTok);
        socket[tok.text.toLowerCase() as 'uid' | 'gid'] = id;
        break;
      }
      case 'permission': {
        if (!socket) ts.syntaxError('unixsocket before permission', tok);
        const permTok = ts.next();
        if (!/^[0-7]{1,4}$/.test(permTok.text)) ts.error('Permission statements must have an octal value between 0 and 7777', permTok);
        socket.permission = Number.parseInt(permTok.text, 8);
        break;
      }
      case 'read-only':
      case 'readonly':
        s.readOnly = true;
        break;
      case 'signature':
        s.signature = ts.expect('enable', 'disable').text.toLowerCase() === 'enable';
        break;
      case 'ssl':
        s.ssl = parseSsl(ts);
        break;
      case 'pemfile':
        s.ssl = { ...s.ssl, pemfile: ts.path() };
        break;
      case 'clientpemfile':
        s.ssl = { ...s.ssl, clientpemfile: ts.path() };
        break;
      case 'allowselfcertification':
        s.ssl = { ...s.ssl, selfsigned: true };
        break;
      case 'allow':
        parseAllow(ts, s, warn);
        break;
    }
  }
  if (socket) s.unixsocket = socket;
  if (s.port === undefined && !socket) ts.syntaxError("'port' or 'unixsocket'");
  if (s.ssl && !s.ssl.pemfile && !s.ssl.pemchain) {
    // Monit notices after the statement: it quotes the next token (G43).
    ts.error('SSL server PEM file is required (please use ssl pemfile option)');
  }
  return s;
}

/** `ssl { pemfile: P, … }`, `ssl enable`, `ssl disable` after `ssl`. */
function parseSsl(ts: ArrayTokenStream): NonNullable<HttpdSettings['ssl']> {
  if (ts.accept('disable')) return {};
  ts.accept('enable');
  const ssl: Mutable<NonNullable<HttpdSettings['ssl']>> = {};
  if (!ts.accept('{')) return ssl;
  while (!ts.accept('}')) {
    const key = ts.next();
    ts.expect(':');
    switch (key.text.toLowerCase()) {
      case 'pemfile': ssl.pemfile = ts.path(); break;
      case 'pemchain': ssl.pemchain = ts.path(); break;
      case 'pemkey': ssl.pemkey = ts.path(); break;
      case 'clientpemfile': ssl.clientpemfile = ts.path(); break;
      case 'selfsigned': ssl.selfsigned = ts.expect('allow', 'reject').text.toLowerCase() === 'allow'; break;
      default: ts.syntaxError('an ssl option (pemfile, pemchain, pemkey, clientpemfile, selfsigned)', key);
    }
  }
  return ssl;
}

/** Monit keywords that cannot be an unquoted password (reference L8, G66, M11): units and statement words. */
const RESERVED_PASSWORDS: ReadonlySet<string> = new Set([
  'b', 'byte', 'bytes', 'kb', 'kilobyte', 'kilobytes', 'mb', 'megabyte', 'megabytes', 'gb', 'gigabyte', 'gigabytes',
  'ms', 'millisecond', 'milliseconds', 's', 'sec', 'second', 'seconds', 'm', 'minute', 'minutes', 'h', 'hour', 'hours',
  'day', 'days', 'month', 'months', 'percent', 'host', 'port', 'address', 'secret', 'check', 'set', 'if', 'then', 'else',
  'alert', 'allow', 'ssl', 'timeout', 'cycle', 'cycles', 'restart', 'start', 'stop', 'exec', 'include', 'uid', 'gid',
]);

/** One `allow …` entry after `allow`. */
function parseAllow(
  ts: ArrayTokenStream,
  s: { users: HttpdSettings['users'][number][]; allowHosts: string[]; htpasswd: HttpdSettings['htpasswd'][number][]; pamGroups: string[] },
  warn: (tok: Token, message: string) => void,
): void {
  const tok = ts.peek();
  const readOnly = () => ts.accept('read-only', 'readonly') !== undefined;
  if (tok.kind === 'punct' && tok.text === '@') {
    ts.next();
    s.pamGroups.push(ts.string('a group name'));
    readOnly();
    return;
  }
  const hash = ts.accept(...HASHES)?.text.toLowerCase() as 'cleartext' | 'md5' | 'crypt' | undefined;
  if (hash || ((tok.kind === 'word' || tok.kind === 'string') && tok.text.startsWith('/'))) {
    const path = ts.path();
    const listed: string[] = [];
    while ((ts.peek().kind === 'word' || ts.peek().kind === 'string') && !ts.at(...HTTPD_WORDS, 'check', 'set', 'include', 'load')) {
      listed.push(ts.next().text);
    }
    s.htpasswd.push({ path, hash: hash ?? 'cleartext', users: listed, readOnly: readOnly() });
    return;
  }
  const first = ts.next();
  if (first.kind !== 'word' && first.kind !== 'string' && first.kind !== 'number') ts.syntaxError('a host, a network or USER:PASSWORD', first);
  const colon = ts.peekRaw();
  if (colon.kind === 'punct' && colon.text === ':') {
    ts.nextRaw();
    const password = ts.next();
    if (password.kind !== 'word' && password.kind !== 'string' && password.kind !== 'number') ts.syntaxError('a password', password);
    // Monit's lexer reads its keywords before values: `allow admin:b` is a syntax error (L8).
    if (password.kind === 'word' && RESERVED_PASSWORDS.has(password.text.toLowerCase())) ts.syntaxError(undefined, password);
    if (s.users.some((u) => u.name === first.text)) {
      warn(first, `Credentials for user ${first.text} were already added, entry ignored '${password.raw}'`);
      readOnly();
      return;
    }
    s.users.push({ name: first.text, password: password.text, readOnly: readOnly() });
    return;
  }
  s.allowHosts.push(first.text);
}
