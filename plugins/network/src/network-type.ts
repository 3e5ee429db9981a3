import { defineServiceType, type ObserveContext } from '@warden/sdk';
import { interfaceWithAddress, isLinkUp, readLinkState, readProcNetDev, type Counters, type LinkState } from './link-stats.js';
import { parseNetworkTarget, type NetworkOptions } from './target.js';

/** One reading of an interface's counters, on the monotonic clock. */
export interface Sample {
  readonly at: number;
  readonly counters: Counters;
}

/** Per-second rates between the last two samples. */
export interface Rates {
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly rxPackets: number;
  readonly txPackets: number;
  readonly rxErrors: number;
  readonly txErrors: number;
}

/** What every test of a `check network` service sees each cycle. */
export interface NetworkTarget {
  /** The interface name, once known (from the header, or the address's interface). */
  readonly interface: string | undefined;
  /** Undefined when there is no such interface (or the address is on none). */
  readonly link: LinkState | undefined;
  readonly up: boolean;
  readonly counters: Counters | undefined;
  /** Undefined until two samples exist (the first cycle, after a counter reset). */
  readonly rates: Rates | undefined;
  /** Counts since the previous sample, when `rates` is defined. */
  readonly delta: Counters | undefined;
  /** Kept samples, oldest first, one per minute at most, covering the last 24 hours. */
  readonly history: readonly Sample[];
  /** The monotonic time of this cycle's sample. */
  readonly at: number;
}

/** Kept between cycles: the previous sample for rates, the history for totals. */
export interface NetworkState {
  previous?: Sample;
  history: Sample[];
  /** The interface an address was last found on (a down interface lists no address). */
  lastInterface?: string;
}

/** Totals reach back at most 24 hours (reference C43). */
export const MAX_TOTAL_RANGE_MS = 24 * 3_600_000;
const HISTORY_STEP_MS = 60_000;

/**
 * `check network NAME with interface IF | address IP` (Monit B12): one network interface,
 * read each cycle from /sys/class/net/IF and /proc/net/dev (one read per cycle for all
 * services). Rates come from this cycle's and the previous cycle's counters.
 */
export const networkService = defineServiceType<NetworkOptions, NetworkTarget, NetworkState>({
  name: 'network',
  summary: 'A network interface: link state, speed, saturation, transfer rates and totals',
  keywords: ['network'],
  monitType: 'network',
  options: {
    interface: { type: 'string', description: 'The interface name (`eth0`), as in /sys/class/net.' },
    address: { type: 'string', description: 'An IP address; the interface holding it is looked up each cycle.' },
  },
  parseTarget: (ts) => parseNetworkTarget(ts),
  describe: (o) => ('interface' in o ? o.interface : o.address),
  // Monit B12: every network service alerts when its link goes down.
  implicitRules: () => ['if link down then alert'],
  init: () => ({ history: [] }),
  // What Monit's status shows for a network service, whatever the rules.
  observations: (t) => ({
    interface: t.interface ?? null,
    linkState: t.up ? 1 : 0,
    speedMbps: t.link?.speedMbps ?? null,
    duplex: t.link?.duplex ?? null,
    downloadBytesPerSecond: t.rates ? Math.round(t.rates.rxBytes) : null,
    uploadBytesPerSecond: t.rates ? Math.round(t.rates.txBytes) : null,
    downloadPacketsPerSecond: t.rates ? Math.round(t.rates.rxPackets) : null,
    uploadPacketsPerSecond: t.rates ? Math.round(t.rates.txPackets) : null,
    downloadBytesTotal: t.counters?.rxBytes ?? null,
    uploadBytesTotal: t.counters?.txBytes ?? null,
  }),
  observe: observeNetwork,
});

async function observeNetwork(ctx: ObserveContext<NetworkOptions, NetworkState>): Promise<NetworkTarget> {
  const { options, state } = ctx;
  let name: string | undefined;
  if ('interface' in options) name = options.interface;
  else {
    name = interfaceWithAddress(options.address) ?? state.lastInterface;
    if (name) state.lastInterface = name;
  }
  const at = ctx.clock.monotonic();
  const link = name ? await readLinkState(name, ctx.signal) : undefined;
  const all = await ctx.cycle.memo('network:/proc/net/dev', () => readProcNetDev(ctx.signal));
  const counters = name && link ? all.get(name) : undefined;
  let rates: Rates | undefined;
  let delta: Counters | undefined;
  if (counters) {
    const sample: Sample = { at, counters };
    const prev = state.previous;
    if (prev && at > prev.at && counters.rxBytes >= prev.counters.rxBytes && counters.txBytes >= prev.counters.txBytes) {
      delta = difference(prev.counters, counters);
      rates = perSecond(delta, (at - prev.at) / 1000);
    } else if (prev) {
      // The counters went backwards: the interface was re-created; start over.
      state.history = [];
    }
    state.previous = sample;
    remember(state, sample);
  }
  return { interface: name, link, up: link !== undefined && isLinkUp(link), counters, rates, delta, history: state.history, at };
}

/** `b - a` for every counter. */
export function difference(a: Counters, b: Counters): Counters {
  return {
    rxBytes: b.rxBytes - a.rxBytes, rxPackets: b.rxPackets - a.rxPackets, rxErrors: b.rxErrors - a.rxErrors,
    txBytes: b.txBytes - a.txBytes, txPackets: b.txPackets - a.txPackets, txErrors: b.txErrors - a.txErrors,
  };
}

function perSecond(d: Counters, seconds: number): Rates {
  return {
    rxBytes: d.rxBytes / seconds, txBytes: d.txBytes / seconds, rxPackets: d.rxPackets / seconds,
    txPackets: d.txPackets / seconds, rxErrors: d.rxErrors / seconds, txErrors: d.txErrors / seconds,
  };
}

/** Keep one sample a minute for 24 hours (plus one step), so totals cost bounded memory. */
function remember(state: NetworkState, sample: Sample): void {
  const last = state.history[state.history.length - 1];
  if (!last || sample.at - last.at >= HISTORY_STEP_MS) state.history.push(sample);
  const horizon = sample.at - MAX_TOTAL_RANGE_MS - HISTORY_STEP_MS;
  while (state.history.length > 0 && state.history[0]!.at < horizon) state.history.shift();
}
