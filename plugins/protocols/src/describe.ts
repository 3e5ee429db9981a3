import type { PortOptions } from './port-options.js';

/** The rule as it reads: `host db port 5432 protocol pgsql`, `unixsocket /run/x.sock`. */
export function describePort(o: PortOptions): string {
  const ep = o.endpoint;
  const where = ep.kind === 'unix' ? `unixsocket ${ep.path}` : `${ep.host ? `host ${ep.host} ` : ''}port ${ep.port}`;
  const type = o.transport === 'udp' ? ' type udp' : '';
  const tls = o.tls ? ' with tls' : '';
  return `${where}${type}${tls} protocol ${o.protocol.name}`;
}

/** Monit's protocol name in messages: `[DEFAULT]`, `[HTTP]`. */
export function protocolLabel(o: PortOptions): string {
  return o.protocol.name === 'generic' ? 'DEFAULT' : o.protocol.name.toUpperCase();
}

/** Monit's `[127.0.0.1]:28120/` or a socket path; the request of an HTTP-like protocol is appended. */
export function placeLabel(o: PortOptions, host: string): string {
  const ep = o.endpoint;
  if (ep.kind === 'unix') return ep.path;
  const request = (o.protocolOptions as { request?: unknown } | undefined)?.request;
  return `[${host}]:${ep.port}${typeof request === 'string' ? request : ''}`;
}

/** Monit's `[TCP/IP]`, `[UDP/IPv6]`, `[TCP/IP SSL]`, `[UNIX]`. */
export function typeLabel(o: PortOptions): string {
  const ep = o.endpoint;
  if (ep.kind === 'unix') return `[UNIX${o.transport === 'udp' ? ' UDP' : ''}]`;
  const ip = ep.family === 4 ? 'IPv4' : ep.family === 6 ? 'IPv6' : 'IP';
  return `[${o.transport.toUpperCase()}/${ip}${o.tls ? ' SSL' : ''}]`;
}
