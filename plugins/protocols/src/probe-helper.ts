// Test helper: parse a rule's words and run the probe the way core's runner does, with a
// signal that fires at the deadline (sdk's runProbe has none), on the real clock.
import { nodeDigestSmallFile, nodeStat, type ProbeResult, type ProtocolDefinition } from '@warden/sdk';
import { CapturedLogger, parseTest, RecordingMetrics, testCycle, testSpawner } from '@warden/sdk/testing';
import type { HostTarget } from './host-type.js';
import type { PortOptions } from './port-options.js';
import { portTest } from './port-test.js';
import { PROTOCOLS } from './protocols.js';
import { scriptedPeer, type PeerScript } from './test-peers.js';
import { unixsocketTest } from './unixsocket-test.js';

/** Look a protocol up by name among this plugin's, as core's registry would. */
export function lookupProtocol(name: string): ProtocolDefinition<unknown> | undefined {
  return PROTOCOLS.find((p): p is ProtocolDefinition<unknown> => p.kind === 'protocol' && p.name === name.toLowerCase());
}

/** Parse `text` (from `port`/`host`/`unixsocket` on) as an `if failed …` rule of a host. */
export function parsePort(text: string, serviceType = 'host'): PortOptions {
  const def = text.startsWith('unix') ? unixsocketTest : portTest;
  return parseTest(def, text, { polarity: 'failed', serviceType, protocol: lookupProtocol }).options;
}

/** A host target for 127.0.0.1. */
export const LOCALHOST: HostTarget = { kind: 'host', host: '127.0.0.1', resolution: { addresses: [{ address: '127.0.0.1', family: 4 }] } };

/** Run a parsed rule with a deadline of its `timeoutMs`, as the runner does. */
export async function probe(text: string, target: unknown = LOCALHOST): Promise<ProbeResult & { elapsedMs: number; metrics: ReadonlyMap<string, number> }> {
  const options = parsePort(text);
  const signal = AbortSignal.timeout(options.timeoutMs);
  const started = performance.now();
  const metrics = new RecordingMetrics();
  const result = await (text.startsWith('unix') ? unixsocketTest : portTest).run({
    options, target, service: { name: 'test', type: 'host' }, signal, deadline: Date.now() + options.timeoutMs,
    clock: { now: () => Date.now(), monotonic: () => performance.now() }, log: new CapturedLogger(), metrics,
    spawn: testSpawner, stat: nodeStat, digestSmallFile: nodeDigestSmallFile, state: {}, cycle: testCycle(), settings: {},
  });
  return { ...result, elapsedMs: performance.now() - started, metrics: metrics.values };
}

/** Run `rule` (with `PORT` replaced) against a loopback peer running `script`. */
export async function against(script: PeerScript, rule: string): ReturnType<typeof probe> {
  const peer = await scriptedPeer(script);
  try {
    return await probe(rule.replace('PORT', String(peer.port)));
  } finally {
    await peer.close();
  }
}
