import type { Comparison, Token, TokenStream } from '@warden/sdk';

/** Everything a `ping` rule says (Monit C59, C60). */
export interface PingOptions {
  /** The keyword as written, for the rule's description. */
  readonly keyword: 'ping' | 'ping4' | 'ping6' | 'icmp';
  /** `ping4`/`ping6` force the address family; `ping` takes the host's first address. */
  readonly family?: 4 | 6;
  /** Echo requests sent at most; the first reply ends the test. */
  readonly count: number;
  /** Packet size in bytes, the 8-byte ICMP header included (Monit's meaning). */
  readonly size: number;
  /** How long each request waits for its reply, whole seconds (`with timeout N seconds`). */
  readonly timeoutSeconds: number;
  /**
   * The probe's deadline for the runner: every request's wait plus a margin, so the
   * system ping always ends by its own `-w` deadline before the runner gives up.
   */
  readonly timeoutMs: number;
  /** `responsetime OP N ms`: the round trip must satisfy it. */
  readonly responseTime?: Comparison;
  /** `address SRC`: the source address to send from. */
  readonly source?: string;
}

/** Monit's defaults and limits (reference C59, H04). */
export const DEFAULT_COUNT = 3;
export const DEFAULT_SIZE = 64;
export const DEFAULT_TIMEOUT_SECONDS = 5;
export const MIN_SIZE = 8;
export const MAX_SIZE = 1492;
export const MAX_COUNT = 20;
/** Added to the sum of the waits to make the runner's deadline. */
const DEADLINE_MARGIN_MS = 2000;

/**
 * `ping|ping4|ping6 [count N] [size N] [[with] timeout N seconds] [[and] responsetime OP N ms]
 * [address SRC]`, or the old `icmp type echo …`, options in any order.
 */
export function parsePingOptions(ts: TokenStream): PingOptions {
  const kw = ts.expect('ping', 'ping4', 'ping6', 'icmp').text.toLowerCase() as PingOptions['keyword'];
  if (kw === 'icmp') {
    ts.expect('type');
    ts.expect('echo');
  }
  let count = DEFAULT_COUNT;
  let size = DEFAULT_SIZE;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  let responseTime: Comparison | undefined;
  let source: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    if (ts.accept('count')) {
      const n = ts.peek();
      count = ts.integer('a ping count');
      if (count < 1 || count > MAX_COUNT) ts.error(`The ping count must be between 1 and ${MAX_COUNT}`, n);
    } else if (ts.accept('size')) {
      const n = ts.peek();
      size = ts.integer('a ping size');
      if (size < MIN_SIZE) ts.error(`The minimum ping size is ${MIN_SIZE} bytes`, n);
      if (size > MAX_SIZE) ts.error(`The maximum ping size is ${MAX_SIZE} bytes`, n);
    } else if (ts.accept('timeout')) {
      const n = ts.peek();
      const ms = ts.duration();
      if (ms <= 0) ts.error('The timeout must be greater than 0', n);
      // The system ping takes whole seconds.
      timeoutSeconds = Math.ceil(ms / 1000);
    } else if (ts.accept('responsetime') || acceptTwo(ts, 'response', 'time')) {
      responseTime = ts.comparison(['ms']);
    } else if (ts.accept('address')) {
      source = addressWord(ts);
    } else {
      break;
    }
  }
  const family = kw === 'ping4' ? 4 : kw === 'ping6' ? 6 : undefined;
  return {
    keyword: kw,
    ...(family ? { family } : {}),
    count,
    size,
    timeoutSeconds,
    timeoutMs: count * timeoutSeconds * 1000 + DEADLINE_MARGIN_MS,
    ...(responseTime ? { responseTime } : {}),
    ...(source !== undefined ? { source } : {}),
  };
}

/** An address, IPv6 included: the lexer splits `fd00::1` at its colons, so glue the pieces back. */
function addressWord(ts: TokenStream): string {
  const first = ts.peek();
  let text = first.kind === 'punct' && first.text === ':' ? ts.next().raw : ts.string('a source address');
  for (let guard = 0; guard < 64; guard++) {
    const tok = ts.peek();
    const glued = !tok.spaceBefore && (tok.kind === 'word' || tok.kind === 'number' || (tok.kind === 'punct' && tok.text === ':'));
    if (!glued) break;
    text += tok.raw;
    ts.next();
  }
  return text;
}

function acceptTwo(ts: TokenStream, a: string, b: string): boolean {
  const second: Token = ts.peek(1);
  if (!ts.at(a) || second.kind !== 'word' || second.text.toLowerCase() !== b) return false;
  ts.next();
  ts.next();
  return true;
}

/** The rule as it reads, Monit's way: `ping count 3 size 64 with timeout 5 s`. */
export function describePing(o: PingOptions): string {
  const word = o.keyword === 'icmp' ? 'icmp type echo' : o.keyword;
  const rt = o.responseTime ? ` and responsetime ${o.responseTime.op} ${o.responseTime.text}` : '';
  const via = o.source !== undefined ? ` via address ${o.source}` : '';
  return `${word} count ${o.count} size ${o.size} with timeout ${o.timeoutSeconds} s${rt}${via}`;
}
