import { defineTest } from '@warden/sdk';
import { PORT_CODES, PORT_METRICS } from './codes.js';
import { parsePortTail } from './parse-port.js';
import type { PortOptions } from './port-options.js';
import { runPort } from './run-port.js';

/**
 * `if failed|succeeded unix[socket] PATH [protocol P|send/expect …] [timeout N s] [retry N]
 * [responsetime OP N ms] then …` (Monit C57): a unix stream socket accepts and speaks.
 */
export const unixsocketTest = defineTest<PortOptions>({
  name: 'protocols.unixsocket',
  summary: 'A unix socket accepts a connection and speaks its protocol',
  serviceTypes: ['process'],
  keywords: ['unixsocket', 'unix'],
  polarities: ['failed', 'succeeded'],
  event: 'connection',
  codes: PORT_CODES,
  metrics: PORT_METRICS,
  options: {
    path: { type: 'path', description: 'The socket path (required).' },
    protocol: { type: 'string', description: 'The dialogue, as for `port`.', default: 'default' },
    timeout: { type: 'duration', description: 'Connection and dialogue timeout of each attempt.', default: '5 s' },
    retry: { type: 'integer', description: 'Attempts before the test fails.', default: 1 },
  },
  parse(ts, ctx) {
    ts.expect('unixsocket', 'unix');
    return parsePortTail(ts, ctx, { kind: 'unix', path: ts.path() });
  },
  run: runPort,
});
