import type ping from 'ping';
import type { PingOptions } from './ping-options.js';
import type { PingAddress } from './host-address.js';

/** What one run of the system ping found. */
export type PingOutcome =
  | { readonly kind: 'reply'; readonly rttMs?: number }
  | { readonly kind: 'no-reply' }
  | { readonly kind: 'no-permission'; readonly output: string }
  | { readonly kind: 'not-run'; readonly error: string };

/**
 * The `ping` package's settings for Monit's semantics, one spawn of the system ping:
 * up to `count` requests, one every `timeout` seconds (`-i`), ending at the first reply
 * (`-c 1` with a `-w` deadline of count × timeout). Monit's size includes the 8-byte ICMP
 * header, the system ping's `-s` does not.
 */
export function pingConfig(o: PingOptions, family: 4 | 6 | undefined): ping.PingConfig {
  const data = o.size - 8;
  return {
    numeric: true,
    timeout: o.timeoutSeconds,
    deadline: o.count * o.timeoutSeconds,
    min_reply: 1,
    v6: family === 6,
    // The package drops a zero size (falsy) for its default; `extra` comes last and wins.
    ...(data > 0 ? { packetSize: data } : {}),
    ...(o.source !== undefined ? { sourceAddr: o.source } : {}),
    extra: ['-i', String(o.timeoutSeconds), ...(data === 0 ? ['-s', '0'] : []), ...(family === 4 ? ['-4'] : [])],
  };
}

/**
 * Run the system ping once through the `ping` package and read its answer. The package
 * spawns `ping` itself (not through core's spawner) and cannot kill it: on abort this
 * returns at once by rejecting, and the child still ends by itself at its `-w` deadline.
 */
export async function runPing(target: PingAddress, o: PingOptions, signal: AbortSignal): Promise<PingOutcome> {
  signal.throwIfAborted();
  // Loaded at the first ping: a daemon without icmp tests never evaluates the package.
  const { default: pinger } = await import('ping');
  signal.throwIfAborted();
  const family = target.family;
  // The package sets LANG=C on the daemon's own environment; keep the daemon's.
  const lang = process.env.LANG;
  let work: Promise<ping.PingResponse>;
  try {
    work = pinger.promise.probe(target.address, pingConfig(o, family));
  } finally {
    if (lang === undefined) delete process.env.LANG;
    else process.env.LANG = lang;
  }
  let res: ping.PingResponse;
  try {
    res = await untilAborted(work, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    return { kind: 'not-run', error: (err as Error).message };
  }
  if (res.alive) return { kind: 'reply', rttMs: typeof res.time === 'number' ? res.time : Number(res.time) };
  // Below 16 data bytes the reply carries no timestamp: no time= line, but a reply all the same.
  if (/\b[1-9]\d* received\b/.test(res.output)) return { kind: 'reply' };
  if (/operation not permitted|permission denied/i.test(res.output)) return { kind: 'no-permission', output: res.output.trim() };
  return { kind: 'no-reply' };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
