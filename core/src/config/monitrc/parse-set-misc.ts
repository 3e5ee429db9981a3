import { sizeUnit, timeUnit, type ArrayTokenStream, type Token } from '@warden/sdk';
import type { Limits, MmonitTarget, SslDefaults } from '../model.js';
import type { ParserContext } from './parser-context.js';

/** Monit's words for `set daemon 0` and for `set init` without a poll time (reference G03, G05). */
export const POLL_TIME_INVALID = 'Poll time is invalid or not defined. Please define poll time in the control file\nas a number (> 0)  or use the -d option when starting monit';

/** `set limits` entries (reference A31), lower-cased name → unit kind and model key. */
const LIMITS: ReadonlyMap<string, { readonly key: keyof Limits; readonly unit: 'bytes' | 'ms' }> = new Map([
  ['programoutput', { key: 'programOutput', unit: 'bytes' }],
  ['sendexpectbuffer', { key: 'sendExpectBuffer', unit: 'bytes' }],
  ['filecontentbuffer', { key: 'fileContentBuffer', unit: 'bytes' }],
  ['httpcontentbuffer', { key: 'httpContentBuffer', unit: 'bytes' }],
  ['networktimeout', { key: 'networkTimeout', unit: 'ms' }],
  ['programtimeout', { key: 'programTimeout', unit: 'ms' }],
  ['stoptimeout', { key: 'stopTimeout', unit: 'ms' }],
  ['starttimeout', { key: 'startTimeout', unit: 'ms' }],
  ['restarttimeout', { key: 'restartTimeout', unit: 'ms' }],
]);

/** `version:` values of `set ssl { … }` (reference A29). */
const SSL_VERSIONS = ['auto', 'sslv2', 'sslv3', 'tlsv1', 'tlsv11', 'tlsv12', 'tlsv13'];

/**
 * The `set` statements that only set a value: `init`, `terminal batch`, `fips`, `ssl {…}`,
 * `limits {…}`, `expectbuffer`, `onreboot`, `mmonit`. Returns false when `word` is none of
 * them (the caller goes on); the word itself is still unread.
 */
export function parseSetMisc(ctx: ParserContext, word: string): boolean {
  const { ts, globals } = ctx;
  switch (word) {
    case 'init':
      ts.next();
      globals.init = true;
      return true;
    case 'terminal':
      ts.next();
      ts.expect('batch');
      globals.terminalBatch = true;
      return true;
    case 'fips':
      ts.next();
      globals.fips = true;
      return true;
    case 'ssl':
      ts.next();
      ts.accept('options');
      globals.ssl = parseSslDefaults(ts);
      return true;
    case 'limits':
      ts.next();
      parseLimits(ctx);
      return true;
    case 'expectbuffer':
      ts.next();
      globals.limits = { ...globals.limits, sendExpectBuffer: positiveSize(ts) };
      return true;
    case 'onreboot':
      ts.next();
      globals.onreboot = ts.expect('start', 'nostart', 'laststate').text.toLowerCase() as 'start' | 'nostart' | 'laststate';
      return true;
    case 'mmonit':
      ts.next();
      (globals.mmonit ??= []).push(...parseMmonit(ts));
      return true;
    default:
      return false;
  }
}

/** `{ name: N unit, … }`: Monit's limits, and warden's `concurrency: N`. */
function parseLimits({ ts, globals }: ParserContext): void {
  ts.expect('{');
  for (let i = 0; !ts.accept('}'); i++) {
    const name = ts.peek();
    const lower = name.kind === 'word' ? name.text.toLowerCase() : '';
    if (i > 64) ts.syntaxError(undefined, name);
    if (lower === 'concurrency') {
      ts.next();
      ts.expect(':');
      const valueTok = ts.peek();
      const value = ts.integer('a number of services');
      if (value < 1) ts.error('The concurrency limit must be at least 1', valueTok);
      globals.concurrency = value;
      continue;
    }
    const limit = LIMITS.get(lower);
    if (!limit) return ts.syntaxError(undefined, name);
    ts.next();
    ts.expect(':');
    const value = limit.unit === 'bytes' ? positiveSize(ts) : positiveDuration(ts);
    globals.limits = { ...globals.limits, [limit.key]: value };
  }
}

function positiveSize(ts: ArrayTokenStream): number {
  const tok = ts.peek();
  const n = ts.number('a size');
  const unit = ts.peek();
  const factor = unit.kind === 'word' ? sizeUnit(unit.text) : undefined;
  if (factor !== undefined) ts.next();
  return positive(ts, Math.round(n * (factor ?? 1)), tok);
}

function positiveDuration(ts: ArrayTokenStream): number {
  const tok = ts.peek();
  const n = ts.number('a duration');
  const unit = ts.peek();
  // Monit's limits take ms or s only; a bare number is milliseconds there.
  const factor = unit.kind === 'word' ? timeUnit(unit.text) : undefined;
  if (factor !== undefined) ts.next();
  return positive(ts, n * (factor ?? 1), tok);
}

function positive(ts: ArrayTokenStream, value: number, tok: Token): number {
  if (!(value > 0)) ts.error('The limit must be greater than 0', tok);
  return value;
}

/** `{ verify: enable, selfsigned: allow, version: tlsv12 tlsv13, ciphers: "…", pemfile: P, … }`. */
export function parseSslDefaults(ts: ArrayTokenStream): SslDefaults {
  const out: { -readonly [K in keyof SslDefaults]: SslDefaults[K] } = {};
  ts.expect('{');
  for (let i = 0; !ts.accept('}'); i++) {
    const keyTok = ts.peek();
    if (i > 64 || (keyTok.kind !== 'word' && keyTok.kind !== 'string')) ts.syntaxError('an ssl option', keyTok);
    ts.next();
    ts.expect(':');
    switch (keyTok.text.toLowerCase()) {
      case 'verify':
        out.verify = ts.expect('enable', 'disable').text.toLowerCase() === 'enable';
        break;
      case 'selfsigned':
        out.selfSigned = ts.expect('allow', 'reject').text.toLowerCase() === 'allow';
        break;
      case 'version': {
        const versions: string[] = [];
        while (ts.peek().kind === 'word' && SSL_VERSIONS.includes(ts.peek().text.toLowerCase().replace(/^[+-]/, ''))) {
          versions.push(ts.next().text.toLowerCase());
        }
        if (versions.length === 0) ts.syntaxError('an ssl version');
        out.versions = versions;
        break;
      }
      case 'ciphers':
        out.ciphers = ts.string('a cipher list');
        break;
      case 'pemfile':
      case 'pemchain':
      case 'pemkey':
      case 'clientpemfile':
      case 'cacertificatefile':
      case 'cacertificatepath':
        out[keyTok.text.toLowerCase() as 'pemfile'] = ts.path();
        break;
      default:
        ts.syntaxError(undefined, keyTok);
    }
  }
  return out;
}

/** `URL [with timeout N seconds] [and register without credentials] [, URL2 …]` (reference A34). */
function parseMmonit(ts: ArrayTokenStream): MmonitTarget[] {
  const out: MmonitTarget[] = [];
  for (let i = 0; i < 64; i++) {
    const tok = ts.peek();
    if ((tok.kind !== 'word' && tok.kind !== 'string') || !/^https?:\/\//i.test(tok.text)) {
      if (out.length === 0) ts.syntaxError('an http(s) URL', tok);
      break;
    }
    ts.next();
    let timeoutMs: number | undefined;
    let registerCredentials = true;
    for (;;) {
      if (ts.accept('timeout')) {
        const t = ts.peek();
        timeoutMs = ts.duration();
        if (timeoutMs <= 0) ts.error('The timeout must be greater than 0', t);
      } else if (ts.accept('register')) {
        ts.expect('credentials');
        registerCredentials = false;
      } else break;
    }
    out.push({ url: tok.text, registerCredentials, ...(timeoutMs !== undefined ? { timeoutMs } : {}), pos: { file: tok.file, line: tok.line } });
  }
  return out;
}
