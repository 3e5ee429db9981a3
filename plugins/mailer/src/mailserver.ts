import { defineSetting, type TokenStream } from '@warden/sdk';

/** One SMTP server of `set mailserver`. */
export interface MailServer {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  /** `using ssl|tls`: STARTTLS on ports 25 and 587, implicit TLS elsewhere. */
  readonly tls?: { readonly verify: boolean };
}

/** `set mailserver HOST … [, HOST2 …] [with timeout N seconds] [using hostname NAME]`. */
export interface MailServerSetting {
  readonly servers: readonly MailServer[];
  /** Connection, greeting and socket timeout, per server. */
  readonly timeoutMs: number;
  /** The name said in EHLO and used in Message-Id (default: the host name). */
  readonly hostname?: string;
}

/** Monit's observed default (reference A13). */
export const DEFAULT_TIMEOUT_MS = 30_000;

const STATEMENT_WORDS = new Set(['set', 'check', 'load', 'include']);

/** `{ verify: enable|disable, selfsigned: allow|reject }` after `ssl`/`tls`. */
function parseTlsOptions(ts: TokenStream): { verify: boolean } {
  let verify = false;
  if (!ts.accept('{')) return { verify };
  while (!ts.accept('}')) {
    const key = ts.next();
    ts.expect(':');
    const value = ts.next().text.toLowerCase();
    switch (key.text.toLowerCase()) {
      case 'verify':
        verify = value === 'enable' || value === 'true';
        break;
      case 'selfsigned':
        if (value === 'reject') verify = true;
        break;
      default:
        // Monit's other TLS options (version, ciphers) are accepted and ignored.
        break;
    }
  }
  return { verify };
}

function parseServer(ts: TokenStream): MailServer {
  const host = ts.string('a mail server host');
  let port = 25;
  let username: string | undefined;
  let password: string | undefined;
  let tls: MailServer['tls'];
  for (;;) {
    if (ts.accept('port')) port = ts.integer('a port number');
    else if (ts.accept('username')) username = ts.string('a user name');
    else if (ts.accept('password')) password = ts.string('a password');
    else if (ts.accept('ssl', 'tls', 'tlsv1', 'tlsv11', 'tlsv12', 'tlsv13', 'sslauto')) tls = parseTlsOptions(ts);
    else break;
  }
  return { host, port, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(tls ? { tls } : {}) };
}

/** `set mailserver …` (reference A12, A13): the SMTP servers, tried in order. */
export const mailserverSetting = defineSetting<MailServerSetting>({
  name: 'mailserver',
  summary: 'SMTP servers for alert mail, tried in order (fail-over)',
  keywords: ['mailserver'],
  options: {
    port: { type: 'integer', description: 'SMTP port of the server before it.', default: 25 },
    username: { type: 'string', description: 'AUTH user name (PLAIN or LOGIN).' },
    password: { type: 'string', description: 'AUTH password.' },
    ssl: { type: 'boolean', description: '`using ssl` / `using tls`: STARTTLS on ports 25 and 587, implicit TLS on any other port; `{ verify: enable }` checks the certificate.' },
    timeout: { type: 'duration', description: '`with timeout N seconds`: connection, greeting and socket timeout for every server.', default: '30 s' },
    hostname: { type: 'string', description: '`using hostname NAME`: the name said in EHLO and used in Message-Id.' },
  },
  parse(ts) {
    const servers: MailServer[] = [parseServer(ts)];
    let timeoutMs = DEFAULT_TIMEOUT_MS;
    let hostname: string | undefined;
    for (;;) {
      if (ts.accept('timeout')) {
        timeoutMs = ts.duration('s');
        if (timeoutMs <= 0) ts.error('The mail server timeout must be greater than 0');
        continue;
      }
      if (ts.accept('hostname')) {
        hostname = ts.string('a host name');
        continue;
      }
      const next = ts.peek();
      if (ts.atEnd() || (next.kind === 'word' && STATEMENT_WORDS.has(next.text.toLowerCase()))) break;
      if (next.kind !== 'word' && next.kind !== 'string') break;
      servers.push(parseServer(ts));
    }
    return { servers, timeoutMs, ...(hostname !== undefined ? { hostname } : {}) };
  },
});
