import type { Socket } from 'node:dgram';
import { abortError } from './io.js';

/**
 * Send one datagram on a connected socket and wait for the first reply `accept` takes.
 * A refused port surfaces as the socket's `error` (ICMP unreachable); silence ends at the
 * runner's deadline through `signal`.
 */
export function exchange(udp: Socket, request: Buffer, signal: AbortSignal, accept: (reply: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      udp.off('message', onMessage);
      udp.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onMessage = (msg: Buffer) => {
      if (!accept(msg)) return;
      cleanup();
      resolve(msg);
    };
    const onError = (err: Error) => { cleanup(); reject(err); };
    const onAbort = () => { cleanup(); reject(abortError(signal)); };
    if (signal.aborted) return onAbort();
    udp.on('message', onMessage);
    udp.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    udp.send(request, (err) => { if (err) onError(err); });
  });
}
