import { defineTest, ok, skipped, timeUnit, type Comparison, type ProbeResult, type TokenStream } from '@warden/sdk';
import { formatAmount, parseAmount, resourceMessage } from './amount.js';
import { difference, MAX_TOTAL_RANGE_MS, type NetworkTarget } from './network-type.js';

/** `total uploaded|downloaded OP N unit|packets in last [N] minute(s)|hour(s)|day`. */
export interface TotalOptions {
  readonly direction: 'upload' | 'download';
  readonly packets: boolean;
  readonly comparison: Comparison;
  readonly windowMs: number;
  /** The window as written (`2 hours`), for messages. */
  readonly window: string;
}

/**
 * `if total uploaded|downloaded OP N unit|packets in last [N] minutes|hours|day` (Monit C43):
 * what went through the interface within the window, from the service's history of counters
 * (one sample a minute). Until the history covers the window, the total is since monitoring began.
 */
export const totalTest = defineTest<TotalOptions, NetworkTarget>({
  name: 'network.total',
  summary: 'Bytes or packets uploaded or downloaded within the last minutes, hours or day',
  serviceTypes: ['network'],
  keywords: ['total'],
  polarities: ['none'],
  event: 'bytein',
  codes: {},
  parse(ts) {
    ts.expect('total');
    const word = ts.expect('uploaded', 'downloaded', 'upload', 'download').text.toLowerCase();
    const direction = word.startsWith('up') ? 'upload' : 'download';
    const { comparison, packets } = parseAmount(ts);
    const { windowMs, window } = parseWindow(ts);
    const event = direction === 'download' ? (packets ? 'packetin' : 'bytein') : packets ? 'packetout' : 'byteout';
    return {
      options: { direction, packets, comparison, windowMs, window },
      condition: { kind: 'compare', comparison },
      event,
      describe: `total ${direction}ed ${comparison.op} ${comparison.text} in last ${window}`,
    };
  },
  run(ctx): ProbeResult {
    const { direction, packets, comparison, windowMs, window } = ctx.options;
    const { history, counters, at } = ctx.target;
    if (!counters || history.length === 0) return skipped(`total ${direction}ed not available -- no counters`);
    const start = history.find((s) => s.at >= at - windowMs) ?? history[history.length - 1]!;
    const d = difference(start.counters, counters);
    const down = direction === 'download';
    const value = packets ? (down ? d.rxPackets : d.txPackets) : down ? d.rxBytes : d.txBytes;
    const display = formatAmount(value, packets, false);
    const what = `total ${direction}ed in last ${window}`;
    return ok(resourceMessage(what, value, display, comparison, `${what} ${comparison.op} ${comparison.text}`), { value, display });
  },
});

/** `[N] minute(s)|hour(s)|day(s)` after the noise words `in last`; at most 24 hours (Monit N07). */
function parseWindow(ts: TokenStream): { windowMs: number; window: string } {
  const numTok = ts.peek();
  const n = numTok.kind === 'number' ? ts.number() : 1;
  const unitTok = ts.peek();
  const unit = unitTok.kind === 'word' ? unitTok.text.toLowerCase() : '';
  if (!/^(minutes?|hours?|days?)$/.test(unit)) ts.syntaxError("'minute', 'hour' or 'day'", unitTok);
  ts.next();
  const windowMs = n * timeUnit(unit)!;
  if (windowMs > MAX_TOTAL_RANGE_MS || windowMs <= 0) {
    ts.error('Maximum range for total test is 24 hours', numTok.kind === 'number' ? numTok : unitTok);
  }
  return { windowMs, window: `${n} ${unit}` };
}
