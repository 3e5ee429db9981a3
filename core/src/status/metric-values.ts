import type { MetricsSink } from '@warden/sdk';

/** One series: a metric name and its labels. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A sample as kept: its value is updated in place. */
interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

/**
 * One service's sink and its series, keyed by name and extra labels. A class, not closures:
 * thousands of services each keep one object (no functions and scopes of their own).
 * It remembers the series of its last report without labels, and of its last few with frozen
 * labels (a port test's two series under its `endpoint` label, `warden_checks_total`'s shared
 * ones): a check reports the same few every cycle, and each is then no key and no lookup.
 */
class ServiceSink implements MetricsSink {
  readonly series = new Map<string, Series>();
  private lastPlain: Series | undefined = undefined;
  /** Up to {@link RECENT} pairs of frozen labels and their series, flat: labels, series, … */
  private recent: Array<Readonly<Record<string, string>> | Series> | undefined = undefined;
  /** Where the next pair goes once `recent` is full (the oldest pair). */
  private nextSlot = 0;

  constructor(
    readonly service: string,
    private readonly type: string,
  ) {}

  set(name: string, value: number, labels?: Readonly<Record<string, string>>): void {
    this.put(name, labels, value, false);
  }

  inc(name: string, by = 1, labels?: Readonly<Record<string, string>>): void {
    this.put(name, labels, by, true);
  }

  private put(name: string, labels: Readonly<Record<string, string>> | undefined, value: number, add: boolean): void {
    let found = labels === undefined ? (this.lastPlain?.name === name ? this.lastPlain : undefined) : this.recentSeries(labels, name);
    if (found === undefined) {
      const key = labels === undefined ? name : name + labelKey(labels);
      found = this.series.get(key);
      if (found === undefined) {
        // Assigned, not `{ ...labels, service }`: a property added after a spread gives each
        // copy a map of its own on Node 20 (see `ruleState` in the rule engine).
        const all = Object.assign({}, labels, { service: this.service, type: this.type });
        this.series.set(key, (found = { name, labels: all, value: 0 }));
      }
      // Frozen labels cannot change meanwhile: the same object names the same series.
      if (labels === undefined) this.lastPlain = found;
      else if (Object.isFrozen(labels)) this.remember(labels, found);
    }
    found.value = add ? found.value + value : value;
  }

  private recentSeries(labels: Readonly<Record<string, string>>, name: string): Series | undefined {
    const recent = this.recent;
    if (recent === undefined) return undefined;
    for (let i = 0; i < recent.length; i += 2) {
      if (recent[i] === labels && (recent[i + 1] as Series).name === name) return recent[i + 1] as Series;
    }
    return undefined;
  }

  private remember(labels: Readonly<Record<string, string>>, series: Series): void {
    const recent = (this.recent ??= []);
    if (recent.length < 2 * RECENT) {
      recent.push(labels, series);
      return;
    }
    recent[this.nextSlot] = labels;
    recent[this.nextSlot + 1] = series;
    this.nextSlot = (this.nextSlot + 2) % (2 * RECENT);
  }
}

/** How many series with frozen labels a sink remembers. */
const RECENT = 6;

/**
 * The values probes report through `ctx.metrics`, kept as the latest sample per series.
 * The `/metrics` exporter reads them; probes never reach the exporter directly. Every check
 * reports through here, so a report costs one short key and one lookup in its service's own
 * map: the sink of a service is built once, and a series' labels object only when it is new.
 */
export class MetricValues {
  private readonly services = new Map<string, ServiceSink>();

  /** A sink for one service: adds the `service` and `type` labels. */
  sinkFor(service: string, type: string): MetricsSink {
    const id = `${service}\u0000${type}`;
    let sink = this.services.get(id);
    if (sink === undefined) this.services.set(id, (sink = new ServiceSink(service, type)));
    return sink;
  }

  /** Every sample, for the exporter. */
  all(): MetricSample[] {
    const samples: MetricSample[] = [];
    for (const { series } of this.services.values()) for (const s of series.values()) samples.push(s);
    return samples;
  }

  /** Forget the series of services that no longer exist (after a reload). */
  retainServices(names: ReadonlySet<string>): void {
    for (const [id, entry] of this.services) if (!names.has(entry.service)) this.services.delete(id);
  }
}

/** The extra labels as part of a key; sorted only when there are several (order must not matter). */
function labelKey(labels: Readonly<Record<string, string>> | undefined): string {
  if (labels === undefined) return '';
  let first: string | undefined;
  let several: string[] | undefined;
  for (const k in labels) {
    if (k === 'service' || k === 'type') continue;
    const part = `\u0000${k}=${labels[k]}`;
    if (first === undefined) first = part;
    else (several ??= [first]).push(part);
  }
  if (several !== undefined) return several.sort().join('');
  return first ?? '';
}
