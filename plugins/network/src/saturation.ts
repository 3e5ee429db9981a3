import { defineTest, ok, skipped, type Comparison, type ProbeResult } from '@warden/sdk';
import { resourceMessage } from './amount.js';
import type { NetworkTarget } from './network-type.js';

/**
 * `if saturation OP N%` (Monit C41): the transfer rate against the link speed. On a full
 * duplex link each direction has the whole capacity, so the busier direction counts; on a
 * half duplex link both directions share it.
 */
export const saturationTest = defineTest<{ readonly comparison: Comparison }, NetworkTarget>({
  name: 'network.saturation',
  summary: 'Transfer rate as a percentage of the link speed',
  serviceTypes: ['network'],
  keywords: ['saturation'],
  polarities: ['none'],
  event: 'saturation',
  codes: {},
  parse(ts) {
    ts.expect('saturation');
    const comparison = ts.comparison(['percent']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `saturation ${comparison.op} ${comparison.text}` };
  },
  run(ctx): ProbeResult {
    const { rates, link } = ctx.target;
    if (!rates) return skipped('saturation not available yet (needs two samples)');
    if (link?.speedMbps === undefined) return skipped(`saturation not available -- link speed of ${ctx.target.interface ?? 'the interface'} unknown`);
    const capacity = (link.speedMbps * 1_000_000) / 8;
    const rx = (rates.rxBytes / capacity) * 100;
    const tx = (rates.txBytes / capacity) * 100;
    const value = link.duplex === 'half' ? rx + tx : Math.max(rx, tx);
    const display = `${value.toFixed(1)}%`;
    const c = ctx.options.comparison;
    return ok(resourceMessage('saturation', value, display, c, `saturation ${c.op} ${c.text}`), {
      value,
      display,
      observations: { saturationPercent: Number(value.toFixed(2)) },
    });
  },
});
