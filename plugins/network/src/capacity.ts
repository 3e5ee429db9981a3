import { defineTest, ok, type ProbeResult } from '@warden/sdk';
import type { NetworkTarget } from './network-type.js';

/**
 * `if changed link [capacity]` (Monit C40): the link's speed or duplex changed (a renegotiation
 * from 1000 Mb/s full duplex to 100 Mb/s half duplex). The value is `SPEED Mb/s DUPLEX duplex`,
 * or `unknown` when the kernel reports no speed; the rule engine detects the change.
 */
export const capacityTest = defineTest<Record<string, never>, NetworkTarget>({
  name: 'network.capacity',
  summary: 'Speed and duplex of the link, for `if changed link`',
  serviceTypes: ['network'],
  keywords: ['link'],
  polarities: ['changed'],
  event: 'speed',
  codes: {},
  parse(ts) {
    ts.expect('link');
    ts.accept('capacity', 'speed');
    return { options: {}, condition: { kind: 'changed' }, describe: 'changed link capacity' };
  },
  run(ctx): ProbeResult {
    const { link } = ctx.target;
    const name = ctx.target.interface ?? 'unknown';
    const capacity = link?.speedMbps !== undefined ? `${link.speedMbps} Mb/s ${link.duplex} duplex` : 'unknown';
    const previous = ctx.state.lastCapacity as string | undefined;
    ctx.state.lastCapacity = capacity;
    const message = previous === undefined || previous === capacity
      ? `link capacity ${capacity} on ${name}`
      : `link capacity changed from ${previous} to ${capacity} on ${name}`;
    return ok(message, { value: capacity });
  },
});
