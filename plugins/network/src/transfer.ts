import { defineTest, ok, skipped, type Comparison, type ProbeResult } from '@warden/sdk';
import { formatAmount, parseAmount, perSecondText, resourceMessage } from './amount.js';
import type { NetworkTarget } from './network-type.js';

/** `upload|download OP N unit/s` or `… OP N packets/s`. */
export interface TransferOptions {
  readonly direction: 'upload' | 'download';
  readonly packets: boolean;
  readonly comparison: Comparison;
}

/** Current transfer rate, bytes per second of the interface, node_exporter-style name. */
export const RATE_METRIC = 'warden_network_transfer_bytes_per_second';

/**
 * `if upload|download OP N unit/s` and `… OP N packets/s` (Monit C42): the rate between the
 * previous cycle's counters and this cycle's. Download is received (rx), upload is sent (tx).
 */
export const transferTest = defineTest<TransferOptions, NetworkTarget>({
  name: 'network.transfer',
  summary: 'Upload or download rate of the interface, in bytes or packets per second',
  serviceTypes: ['network'],
  keywords: ['upload', 'download'],
  polarities: ['none'],
  event: 'bytein',
  codes: {},
  metrics: [{ name: RATE_METRIC, help: 'Bytes per second through the interface between the last two cycles', type: 'gauge', labels: ['direction'] }],
  parse(ts) {
    const direction = ts.expect('upload', 'download').text.toLowerCase() as 'upload' | 'download';
    const { comparison, packets } = parseAmount(ts);
    const event = direction === 'download' ? (packets ? 'packetin' : 'bytein') : packets ? 'packetout' : 'byteout';
    return { options: { direction, packets, comparison }, condition: { kind: 'compare', comparison }, event, describe: `${direction} ${comparison.op} ${perSecondText(comparison.text)}` };
  },
  run(ctx): ProbeResult {
    const { direction, packets, comparison } = ctx.options;
    const r = ctx.target.rates;
    if (!r) return skipped(`${direction} rate not available yet (needs two samples)`);
    const down = direction === 'download';
    ctx.metrics.set(RATE_METRIC, down ? r.rxBytes : r.txBytes, { direction: down ? 'receive' : 'transmit' });
    const value = packets ? (down ? r.rxPackets : r.txPackets) : down ? r.rxBytes : r.txBytes;
    const display = formatAmount(value, packets, true);
    const what = `${direction} ${packets ? 'packets' : 'bytes'}`;
    return ok(resourceMessage(what, value, display, comparison, `${direction} ${comparison.op} ${perSecondText(comparison.text)}`), { value, display });
  },
});
