import { compare, defineTest, fail, ok, skipped } from '@warden/sdk';
import { pickAddress, type IcmpTarget } from './host-address.js';
import { describePing, parsePingOptions, type PingOptions } from './ping-options.js';
import { runPing } from './ping-runner.js';

/** blackbox_exporter's name for the round trip. */
export const DURATION_METRIC = 'probe_icmp_duration_seconds';

/**
 * `if failed|succeeded ping|ping4|ping6 [count N] [size N] [timeout N s] [responsetime OP N ms]`
 * and the old `if failed icmp type echo …` (Monit C59, C60), on `check host` only. One
 * reply is enough; the response time is the first reply's round trip.
 */
export const pingTest = defineTest<PingOptions, IcmpTarget>({
  name: 'icmp.ping',
  summary: 'ICMP echo to the host: does it answer, and how fast',
  serviceTypes: ['host'],
  keywords: ['ping', 'ping4', 'ping6', 'icmp'],
  polarities: ['failed', 'succeeded'],
  event: 'icmp',
  codes: {
    'icmp.failed': 'no echo reply came back within count × timeout',
    'icmp.responsetime': 'the round trip does not satisfy `responsetime OP N ms`',
    'icmp.address': 'the host has no address of the wanted family (or could not be resolved)',
    'icmp.spawn': 'the system ping could not be run (not installed?)',
  },
  options: {
    count: { type: 'integer', description: 'Echo requests sent at most, one per timeout; the first reply ends the test (1–20).', default: 3 },
    size: { type: 'integer', description: 'Packet size in bytes including the 8-byte ICMP header (8–1492).', default: 64 },
    timeout: { type: 'duration', description: 'How long each request waits for its reply, rounded up to whole seconds.', default: '5 s' },
    responsetime: { type: 'comparison', description: 'The round trip must satisfy it (`responsetime < 10 ms`).' },
    address: { type: 'string', description: 'Source address to send from (`via address 10.0.0.1`).' },
  },
  metrics: [
    { name: DURATION_METRIC, help: 'Duration of the ICMP echo by phase, in seconds', type: 'gauge', labels: ['phase'] },
  ],
  parse(ts) {
    const options = parsePingOptions(ts);
    return { options, condition: { kind: 'state' }, describe: describePing(options) };
  },
  async run(ctx) {
    const o = ctx.options;
    const target = pickAddress(ctx.target, o.family);
    if ('error' in target) return fail('icmp.address', `ping test failed -- ${target.error}`);
    const outcome = await runPing(target, o, ctx.signal);
    switch (outcome.kind) {
      case 'not-run':
        return { status: 'error', code: 'icmp.spawn', message: `ping test could not run -- ${outcome.error}` };
      case 'no-permission':
        return skipped('ping test skipped -- no permission to send ICMP echo requests, please run warden as root');
      case 'no-reply':
        return fail('icmp.failed', 'ping test failed', { observations: { 'ping response time': null } });
      case 'reply':
        break;
    }
    const rtt = outcome.rttMs;
    if (rtt === undefined) return ok('ping test succeeded [response time unknown]', { observations: { 'ping response time': null } });
    ctx.metrics.set(DURATION_METRIC, rtt / 1000, { phase: 'rtt' });
    const time = `${rtt.toFixed(3)} ms`;
    const extras = { value: rtt, display: time, observations: { 'ping response time': rtt } };
    const limit = o.responseTime;
    if (limit && !compare(rtt, limit.op, limit.value)) {
      return fail('icmp.responsetime', `ping response time ${time} doesn't match limit [responsetime ${limit.op} ${limit.text}]`, extras);
    }
    return ok(`ping test succeeded [response time ${time}]`, extras);
  },
});
