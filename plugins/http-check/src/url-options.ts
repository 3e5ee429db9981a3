import { existsSync } from 'node:fs';
import type { Comparison, Token, TokenStream } from '@warden/sdk';
import { describeHttpOptions, HTTP_OPTION_WORDS, parseHttpOptions, type HttpOptions } from './http-options.js';

/** TLS settings of a `url https://…` test: `ssl { verify: disable }`, `selfsigned: allow`. */
export interface TlsOptions {
  /** Verify the server's certificate chain and name (Node's default; see README). */
  readonly verify: boolean;
  /** PEM file of CA certificates to trust instead of the system's (`cacertificatefile: PATH`). */
  readonly caFile?: string;
}

/** Everything a `url` rule says. */
export interface UrlOptions {
  /** The URL as written, credentials removed. */
  readonly url: string;
  /** `http://host:port`, what the keep-alive pool is keyed by. */
  readonly origin: string;
  readonly protocol: 'http' | 'https';
  readonly hostname: string;
  readonly port: number;
  readonly http: HttpOptions;
  readonly tls: TlsOptions;
  /** The probe deadline (`with timeout N seconds`); Monit's network timeout, 5 s, by default. */
  readonly timeoutMs: number;
  /** Attempts within one cycle (`retry N`); 1 by default. */
  readonly retry: number;
  /** `responsetime OP N ms`: the response time must satisfy it. */
  readonly responseTime?: Comparison;
}

/** Monit's default network timeout. */
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Parse the words after `url`: the URL, then in any order the HTTP options, `timeout N
 * seconds`, `retry N`, `responsetime OP N ms` and `ssl {…}` / `ssl options {…}`.
 */
export function parseUrlOptions(ts: TokenStream): UrlOptions {
  const urlTok = ts.peek();
  if (urlTok.kind !== 'word' && urlTok.kind !== 'string') ts.syntaxError('a URL');
  ts.next();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(urlTok.text);
  if (!scheme) ts.syntaxError('a URL', urlTok);
  const protocol = scheme[1]!.toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    // Monit names the scheme alone as the offending token (reference H15).
    ts.error('URL protocol not supported -- ', { ...urlTok, raw: `${scheme[1]}://` });
  }
  let parsed: URL;
  try {
    parsed = new URL(urlTok.text);
  } catch {
    return ts.syntaxError('a valid URL', urlTok);
  }
  const port = parsed.port ? Number(parsed.port) : protocol === 'https' ? 443 : 80;
  const fromUrl = {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
  const path = `${parsed.pathname || '/'}${parsed.search}`;
  let http: HttpOptions | undefined;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let retry = 1;
  let responseTime: Comparison | undefined;
  let tls: TlsOptions = { verify: true };
  for (let guard = 0; guard < 100; guard++) {
    if (ts.accept('timeout')) {
      const tok = ts.peek();
      timeoutMs = ts.duration();
      if (timeoutMs <= 0) ts.error('The timeout must be greater than 0', tok);
    } else if (ts.accept('retry')) {
      const tok = ts.peek();
      retry = ts.integer('a number of attempts');
      if (retry < 1 || retry > 10) ts.error('The retry count must be between 1 and 10', tok);
    } else if (ts.at('responsetime') || (ts.at('response') && isWord(ts.peek(1), 'time'))) {
      if (!ts.accept('responsetime')) {
        ts.next();
        ts.next();
      }
      responseTime = ts.comparison(['ms']);
    } else if (ts.at('ssl', 'tls')) {
      tls = parseTls(ts, tls);
    } else if (ts.at(...HTTP_OPTION_WORDS.filter((w) => w !== 'request'))) {
      http = mergeHttp(http, parseHttpOptions(ts, ['request']));
    } else {
      break;
    }
  }
  const base = http ?? { method: 'GET', headers: [] };
  parsed.username = '';
  parsed.password = '';
  return {
    url: parsed.href,
    origin: parsed.origin,
    protocol,
    hostname: parsed.hostname,
    port,
    // As in Monit, credentials in the URL win over `username`/`password`.
    http: { ...base, request: path, ...fromUrl },
    tls,
    timeoutMs,
    retry,
    ...(responseTime ? { responseTime } : {}),
  };
}

/** Options split by `timeout` or `ssl` arrive in two groups: keep both. */
function mergeHttp(a: HttpOptions | undefined, b: HttpOptions): HttpOptions {
  if (!a) return b;
  return { ...a, ...b, method: b.method === 'HEAD' ? 'HEAD' : a.method, headers: [...a.headers, ...b.headers] };
}

function isWord(tok: Token, word: string): boolean {
  return tok.kind === 'word' && tok.text.toLowerCase() === word;
}

/** `ssl|tls [options] [{ verify: enable|disable, selfsigned: allow|reject, cacertificatefile: PATH }]`. */
function parseTls(ts: TokenStream, current: TlsOptions): TlsOptions {
  ts.next();
  if (!ts.accept('{')) return current;
  let verify = current.verify;
  let caFile = current.caFile;
  for (let guard = 0; guard < 100 && !ts.accept('}'); guard++) {
    const key = ts.expect('verify', 'selfsigned', 'cacertificatefile').text.toLowerCase();
    ts.expect(':');
    if (key === 'verify') verify = ts.expect('enable', 'disable').text.toLowerCase() === 'enable';
    else if (key === 'selfsigned') verify = ts.expect('allow', 'reject').text.toLowerCase() === 'reject' && verify;
    else {
      const tok = ts.peek();
      caFile = ts.path();
      if (!existsSync(caFile)) ts.error('SSL CA certificates file not found', tok);
    }
  }
  return { verify, ...(caFile !== undefined ? { caFile } : {}) };
}

/** The rule as it reads: `url http://h:8080/x content = "ok"`. */
export function describeUrl(o: UrlOptions): string {
  const http = describeHttpOptions({ ...o.http, request: undefined });
  const extra = [http, o.responseTime ? `responsetime ${o.responseTime.op} ${o.responseTime.text}` : ''].filter(Boolean).join(' ');
  return `url ${o.url}${extra ? ` ${extra}` : ''}`;
}
