import type { Operator, Token, TokenStream } from '@warden/sdk';

/** A `content = "REGEX"` or `content != "REGEX"` test on the response body. */
export interface ContentTest {
  readonly op: '=' | '!=';
  /** The pattern as written, for messages and `-t --json`. */
  readonly source: string;
  readonly regex: RegExp;
}

/** A `checksum HASH` test on the response body: the algorithm follows from the length. */
export interface ChecksumTest {
  readonly algorithm: 'md5' | 'sha1' | 'sha256';
  /** Lower-case hex. */
  readonly hex: string;
}

/** The HTTP options of Monit's `protocol http` and `url` tests (C63–C71). */
export interface HttpOptions {
  readonly method: 'GET' | 'HEAD';
  /** Path and query; `/` when not given. */
  readonly request?: string;
  /** `status OP N`: the status must satisfy it; absent means Monit's `< 400`. */
  readonly status?: { readonly op: Operator; readonly value: number };
  readonly content?: ContentTest;
  readonly checksum?: ChecksumTest;
  readonly hostHeader?: string;
  /** Extra request headers in order, as written. */
  readonly headers: readonly (readonly [string, string])[];
  readonly username?: string;
  readonly password?: string;
}

/** The words {@link parseHttpOptions} reads; anything else ends the options. */
export const HTTP_OPTION_WORDS = ['request', 'status', 'content', 'checksum', 'hostheader', 'http', 'headers', 'username', 'password', 'method'] as const;

const HEAD_NOT_ALLOWED = 'if response content or checksum test is enabled, the HEAD method is not allowed';
const HASH_BY_LENGTH: Readonly<Record<number, ChecksumTest['algorithm']>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/**
 * Read HTTP options in any order until a word that is not one of them (the rate, `then`,
 * or a word of the enclosing test such as `timeout`). `without` names options the caller
 * does not accept here (`request` after a URL, which already has its path).
 */
export function parseHttpOptions(ts: TokenStream, without: readonly string[] = []): HttpOptions {
  let method: HttpOptions['method'] = 'GET';
  let request: string | undefined;
  let status: HttpOptions['status'];
  let content: ContentTest | undefined;
  let checksum: ChecksumTest | undefined;
  let hostHeader: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  const headers: [string, string][] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const tok = ts.peek();
    const word = tok.kind === 'word' ? tok.text.toLowerCase() : '';
    if (!(HTTP_OPTION_WORDS as readonly string[]).includes(word) || without.includes(word)) break;
    ts.next();
    switch (word) {
      case 'request':
        request = ts.string('a request path');
        if (!request.startsWith('/')) ts.syntaxError('a request path starting with /', tok);
        break;
      case 'status': {
        const op = ts.operator();
        const codeTok = ts.peek();
        const value = ts.integer('an HTTP status code');
        if (value < 100 || value > 599) ts.error('HTTP status must be between 100 and 599', codeTok);
        status = { op, value };
        break;
      }
      case 'content': {
        const opTok = ts.peek();
        const op = ts.operator();
        if (op !== '=' && op !== '!=') ts.syntaxError("'=' or '!='", opTok);
        const patternTok = ts.peek();
        const source = ts.string('a regular expression');
        if (method === 'HEAD') ts.error(HEAD_NOT_ALLOWED, patternTok);
        content = { op, source, regex: compile(ts, source, patternTok) };
        break;
      }
      case 'checksum': {
        const hashTok = ts.peek();
        const hex = (hashTok.kind === 'number' ? hashTok.raw : ts.string('a checksum')).toLowerCase();
        if (hashTok.kind === 'number') ts.next();
        const algorithm = HASH_BY_LENGTH[hex.length];
        if (!algorithm || !/^[0-9a-f]+$/.test(hex)) ts.error('invalid checksum (expected 32, 40 or 64 hex digits)', hashTok);
        if (method === 'HEAD') ts.error(HEAD_NOT_ALLOWED, hashTok);
        checksum = { algorithm, hex };
        break;
      }
      case 'hostheader':
        hostHeader = ts.string('a host name');
        break;
      case 'http':
        ts.expect('headers');
        headers.push(...parseHeaderList(ts));
        break;
      case 'headers':
        headers.push(...parseHeaderList(ts));
        break;
      case 'username':
        username = ts.string('a user name');
        break;
      case 'password':
        password = ts.string('a password');
        break;
      case 'method': {
        const m = ts.expect('get', 'head');
        method = m.text.toUpperCase() as HttpOptions['method'];
        if (method === 'HEAD' && (content || checksum)) ts.error(HEAD_NOT_ALLOWED, m);
        break;
      }
    }
  }
  return {
    method,
    headers,
    ...(request !== undefined ? { request } : {}),
    ...(status ? { status } : {}),
    ...(content ? { content } : {}),
    ...(checksum ? { checksum } : {}),
    ...(hostHeader !== undefined ? { hostHeader } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

function compile(ts: TokenStream, source: string, tok: Token): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    return ts.error(`regex parsing error: ${(err as Error).message}`, tok);
  }
}

/**
 * `[Name: value, Name2: "value:with:colons"]`. The lexer has no brackets, so `[` and `]`
 * arrive glued to the first and last words; a header starts at a word directly followed by
 * `:`, and its value runs to the next such word or the closing bracket.
 */
function parseHeaderList(ts: TokenStream): [string, string][] {
  const first = ts.peek();
  if (first.kind !== 'word' || !first.text.startsWith('[')) ts.syntaxError("'['");
  const headers: [string, string][] = [];
  let name: string | undefined;
  let value: string[] = [];
  const flush = () => {
    if (name !== undefined) headers.push([name, value.join(' ')]);
    name = undefined;
    value = [];
  };
  let text = first.text.slice(1);
  let tok: Token = ts.next();
  for (let guard = 0; guard < 1000; guard++) {
    const closing = tok.kind !== 'string' && text.endsWith(']');
    if (closing) text = text.slice(0, -1);
    const colon = ts.peek();
    const startsHeader = text !== '' && tok.kind === 'word' && colon.kind === 'punct' && colon.text === ':' && !colon.spaceBefore && !closing;
    if (startsHeader) {
      flush();
      if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(text)) ts.error('invalid HTTP header name', tok);
      name = text;
      ts.next();
    } else if (text !== '') {
      if (name === undefined) ts.syntaxError('a header name followed by :', tok);
      value.push(text);
    }
    if (closing) {
      flush();
      if (headers.length === 0) ts.syntaxError('a header', tok);
      return headers;
    }
    tok = ts.peek();
    if (tok.kind === 'eof' || (tok.kind === 'word' && tok.text.toLowerCase() === 'then')) break;
    ts.next();
    text = tok.kind === 'punct' ? tok.text : tok.kind === 'string' ? tok.text : tok.raw;
  }
  return ts.syntaxError("']'", tok);
}

/** The rule's HTTP options as they read: `request "/x" status = 200 content = "ok"`. */
export function describeHttpOptions(o: HttpOptions): string {
  const parts: string[] = [];
  if (o.method === 'HEAD') parts.push('method head');
  if (o.request !== undefined) parts.push(`request "${o.request}"`);
  if (o.status) parts.push(`status ${o.status.op} ${o.status.value}`);
  if (o.content) parts.push(`content ${o.content.op} "${o.content.source}"`);
  if (o.checksum) parts.push(`checksum ${o.checksum.hex}`);
  if (o.hostHeader !== undefined) parts.push(`hostheader "${o.hostHeader}"`);
  if (o.headers.length > 0) parts.push(`http headers [${o.headers.map(([n, v]) => `${n}: ${v}`).join(', ')}]`);
  return parts.join(' ');
}
