/** The failure codes of the port and unixsocket tests. */
export const PORT_CODES: Readonly<Record<string, string>> = {
  'protocols.resolve': 'the host name does not resolve (or has no address of the asked family)',
  'protocols.connection': 'the connection was refused, reset or could not be made',
  'protocols.timeout': 'no connection or no answer within the timeout',
  'protocols.tls': 'the TLS handshake failed (or the certificate was rejected with verify: enable)',
  'protocols.certificate': 'the certificate expires too soon or does not match its pinned checksum',
  'protocols.protocol': 'the server answered, but not as the protocol expects',
  'protocols.expect': 'a send/expect response did not match its regular expression',
  'protocols.responsetime': 'the response time satisfies the rule\'s `responsetime OP N` failure condition',
};

/** The metrics of the port and unixsocket tests, labelled by `endpoint` (`host:port` or a socket path). */
export const PORT_METRICS = [
  { name: 'probe_success', help: 'Whether the last port test succeeded (1) or not (0)', type: 'gauge', labels: ['endpoint'] },
  { name: 'probe_duration_seconds', help: 'Duration of the last successful port test: connect, TLS and dialogue', type: 'gauge', labels: ['endpoint'] },
  { name: 'probe_ssl_earliest_cert_expiry', help: 'Expiry of the server certificate, in Unix seconds', type: 'gauge', labels: ['endpoint'] },
] as const;
