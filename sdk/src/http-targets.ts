import type { TokenStream } from './tokens.js';

/** Where a notifier posts: URLs (credentials in the URL become Basic auth) and a timeout. */
export interface HttpTargets {
  readonly urls: readonly string[];
  readonly timeoutMs: number;
}

const STATEMENT_WORDS = new Set(['set', 'check', 'load', 'include']);

/** `URL [, URL …] [with timeout N seconds]`: URLs must be http:// or https://. */
export function parseHttpTargets(ts: TokenStream, defaultTimeoutMs: number): HttpTargets {
  const urls: string[] = [];
  let timeoutMs = defaultTimeoutMs;
  for (;;) {
    if (ts.accept('timeout')) {
      timeoutMs = ts.duration('s');
      if (timeoutMs <= 0) ts.error('The timeout must be greater than 0');
      continue;
    }
    const tok = ts.peek();
    if (ts.atEnd() || (tok.kind === 'word' && STATEMENT_WORDS.has(tok.text.toLowerCase()))) break;
    if (tok.kind !== 'word' && tok.kind !== 'string') break;
    // The lexer runs a URL to the next blank, so a list separator may stick to it.
    const text = tok.text.replace(/[,;]+$/, '');
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return ts.error('Invalid URL', tok);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ts.error('The URL must start with http:// or https://', tok);
    ts.next();
    urls.push(text);
  }
  if (urls.length === 0) ts.syntaxError('a URL');
  return { urls, timeoutMs };
}

/** The URL without its credentials, and the Basic auth header they make. */
export function splitCredentials(raw: string): { url: string; headers: Record<string, string> } {
  const url = new URL(raw);
  const headers: Record<string, string> = {};
  if (url.username) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url: url.toString(), headers };
}
