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
});
