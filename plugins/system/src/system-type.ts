import { hostname } from 'node:os';
import { defineServiceType } from '@warden/sdk';
import { observeSystem, parseSystemTarget, type SystemOptions, type SystemState, type SystemTarget } from './target.js';

/**
 * `check system NAME|$HOST` (Monit B10): the machine itself: load, CPU, memory, swap, uptime
 * and file descriptors from /proc. Core turns `$HOST` into the host name; the implicit system
 * service Monit adds to a file without one (A38) is core's too.
 */
export const systemService = defineServiceType<SystemOptions, SystemTarget, SystemState>({
  name: 'system',
  summary: 'The machine: load, cpu, memory, swap, uptime and file descriptors',
  keywords: ['system'],
  monitType: 'system',
  parseTarget: (ts) => parseSystemTarget(ts),
  describe: () => hostname(),
  init: () => ({}),
  observe: observeSystem,
  observations: systemObservations,
});

/**
 * The readings status pages show whatever the rules, under the keys core's XML status maps
 * to Monit's `<system>` elements.
 */
function systemObservations(t: SystemTarget): Record<string, number> {
  const out: Record<string, number> = {};
  if (t.load) [out.load1, out.load5, out.load15] = t.load;
  if (t.cpu) {
    for (const part of ['user', 'system', 'nice', 'wait', 'hardirq', 'softirq', 'steal', 'guest', 'guestnice'] as const) {
      out[`cpu${part[0]!.toUpperCase()}${part.slice(1)}`] = round1(t.cpu[part]);
    }
  }
  if (t.memory) {
    out.memoryPercent = round1((t.memory.memoryUsed * 100) / t.memory.memoryTotal);
    out.memoryBytes = t.memory.memoryUsed;
    out.swapPercent = t.memory.swapTotal ? round1((t.memory.swapUsed * 100) / t.memory.swapTotal) : 0;
    out.swapBytes = t.memory.swapUsed;
  }
  if (t.uptimeSeconds !== undefined) out.uptime = Math.floor(t.uptimeSeconds);
  if (t.fileDescriptors) {
    out.fdAllocated = t.fileDescriptors.allocated;
    out.fdMaximum = t.fileDescriptors.maximum;
  }
  return out;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
