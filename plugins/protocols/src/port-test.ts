import { defineTest } from '@warden/sdk';
import { PORT_CODES, PORT_METRICS } from './codes.js';
import { parsePortTail } from './parse-port.js';
import type { PortOptions } from './port-options.js';
import { runPort } from './run-port.js';

/**
 * `if failed|succeeded [host H] port N [ipv4|ipv6] [type tcp|udp|tcpssl] [ssl {…}] [starttls]
 * [protocol P …|send/expect …] [timeout N s] [retry N] [responsetime OP N ms]
 * [certificate valid > N days] [certificate checksum …] then …` (Monit C47–C56).
 * On a host the address is the host's; on a process it is `localhost` unless `host` says.
 */
export const portTest = defineTest<PortOptions>({
  name: 'protocols.port',
  summary: 'A TCP/UDP port accepts a connection and speaks its protocol',
  serviceTypes: ['host', 'process'],
  keywords: ['port', 'host'],
  polarities: ['failed', 'succeeded'],
  event: 'connection',
  codes: PORT_CODES,
  metrics: PORT_METRICS,
  options: {
    host: { type: 'string', description: 'Host to connect to.', default: "the host's address, or localhost for a process" },
    port: { type: 'integer', description: 'Port number (required).' },
    type: { type: 'enum', values: ['tcp', 'udp', 'tcpssl'], description: 'Transport; `tcpssl` is TCP with TLS.', default: 'tcp (udp for ntp3)' },
    ipv4: { type: 'boolean', description: 'Use only IPv4 addresses.', default: false },
    ipv6: { type: 'boolean', description: 'Use only IPv6 addresses.', default: false },
    address: { type: 'string', description: 'Source address to connect from.' },
    ssl: { type: 'boolean', description: 'TLS; `{ verify: enable, selfsigned: allow|reject, cacertificatefile: PATH }`.', default: false },
    starttls: { type: 'boolean', description: 'Upgrade a clear smtp or imap connection with STARTTLS (implied by `ssl` on ports 25, 143, 587).', default: false },
    protocol: { type: 'string', description: 'The dialogue: any protocol of a loaded plugin (see the protocol table).', default: 'default' },
    send: { type: 'string', description: 'A string to send in a dialogue of your own.' },
    expect: { type: 'string', description: 'A regular expression the next response line must match.' },
    timeout: { type: 'duration', description: 'Connection and dialogue timeout of each attempt.', default: '5 s' },
    retry: { type: 'integer', description: 'Attempts before the test fails.', default: 1 },
    responsetime: { type: 'comparison', description: 'Fail when the response time satisfies `OP N ms|s` (`> 500 ms`).' },
    'certificate valid': { type: 'integer', description: 'Fail when the certificate expires within N days.' },
    'certificate checksum': { type: 'string', description: 'Pinned certificate digest: md5, sha1 or sha256 (by length when unnamed).' },
  },
  parse(ts, ctx) {
    let host: string | undefined;
    if (ts.accept('host')) host = ts.string('a host name or address');
    ts.expect('port');
    const portTok = ts.peek();
    const port = ts.integer('a port number');
    if (port < 1 || port > 65535) ts.error('Invalid port number', portTok);
    return parsePortTail(ts, ctx, { kind: 'net', port, ...(host ? { host } : {}) });
  },
  run: runPort,
});
