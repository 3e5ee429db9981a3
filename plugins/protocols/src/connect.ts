import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { isIP, Socket, createConnection } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { abortError } from './io.js';
import type { TlsOptions } from './port-options.js';

/** Where to open a connection to, resolved. */
export type ConnectSpec =
  | { readonly kind: 'unix'; readonly path: string; readonly transport: 'tcp' | 'udp' }
  | {
      readonly kind: 'net'; readonly transport: 'tcp' | 'udp'; readonly address: string; readonly family: 4 | 6;
      readonly port: number; readonly host: string; readonly source?: string; readonly tls?: TlsOptions;
    };

/** An open connection; `close()` releases every handle it holds. */
export interface Connection {
  readonly socket: Socket;
  readonly udp?: UdpSocket;
  readonly certificate?: PeerCertificate;
  close(): void;
}

/** Wait for `ok` on `emitter`, rejecting on `error`, `close` before it, or abort. */
function once(emitter: Socket | TLSSocket | UdpSocket, ok: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      emitter.off(ok, onOk);
      emitter.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onOk = () => { cleanup(); resolve(); };
    const onError = (err: Error) => { cleanup(); reject(err); };
    const onAbort = () => { cleanup(); reject(abortError(signal)); };
    if (signal.aborted) return onAbort();
    emitter.on(ok, onOk);
    emitter.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Open a TCP (optionally TLS), UDP or unix-socket connection, honouring `signal`. On any
 * failure every handle opened so far is destroyed before the error propagates.
 */
export async function openConnection(spec: ConnectSpec, signal: AbortSignal): Promise<Connection> {
  if (spec.transport === 'udp') return openUdp(spec, signal);
  let socket: Socket;
  if (spec.kind === 'unix') socket = createConnection({ path: spec.path });
  else if (spec.tls) {
    const t = spec.tls;
    // node:tls loads at the first TLS connection: a daemon without TLS checks never pays for it.
    const { connect: tlsConnect } = await import('node:tls');
    socket = tlsConnect({
      host: spec.address,
      port: spec.port,
      ...(spec.source ? { localAddress: spec.source } : {}),
      ...(isIP(spec.host) ? {} : { servername: spec.host }),
      rejectUnauthorized: t.verify && !t.allowSelfSigned,
      ...(t.caFile ? { ca: readFileSync(t.caFile) } : {}),
    });
  } else {
    socket = createConnection({ host: spec.address, port: spec.port, family: spec.family, ...(spec.source ? { localAddress: spec.source } : {}) });
  }
  try {
    await once(socket, spec.kind === 'net' && spec.tls ? 'secureConnect' : 'connect', signal);
  } catch (err) {
    socket.destroy();
    throw err;
  }
  socket.setNoDelay(true);
  // After the handshake errors surface through the dialogue's reads; keep them from being unhandled.
  socket.on('error', () => undefined);
  const certificate = spec.kind === 'net' && spec.tls ? (socket as TLSSocket).getPeerCertificate(false) : undefined;
  return { socket, ...(certificate ? { certificate } : {}), close: () => socket.destroy() };
}

/** Run a TLS client handshake on an open connection (STARTTLS), honouring `signal`. */
export async function upgradeTls(socket: Socket, host: string, t: TlsOptions, signal: AbortSignal): Promise<TLSSocket> {
  const { connect: tlsConnect } = await import('node:tls');
  const secure = tlsConnect({
    socket,
    ...(isIP(host) ? {} : { servername: host }),
    rejectUnauthorized: t.verify && !t.allowSelfSigned,
    ...(t.caFile ? { ca: readFileSync(t.caFile) } : {}),
  });
  try {
    await once(secure, 'secureConnect', signal);
  } catch (err) {
    secure.destroy();
    throw err;
  }
  secure.on('error', () => undefined);
  return secure;
}

async function openUdp(spec: ConnectSpec, signal: AbortSignal): Promise<Connection> {
  if (spec.kind === 'unix') throw new Error('UDP over unix sockets is not supported');
  const udp = createSocket({ type: spec.family === 6 ? 'udp6' : 'udp4' });
  const placeholder = new Socket();
  placeholder.destroy();
  try {
    if (spec.source) await new Promise<void>((resolve) => udp.bind({ address: spec.source, port: 0 }, resolve));
    udp.connect(spec.port, spec.address);
    await once(udp, 'connect', signal);
  } catch (err) {
    udp.close();
    throw err;
  }
  udp.on('error', () => undefined);
  return { socket: placeholder, udp, close: () => { try { udp.close(); } catch { /* already closed */ } } };
}
