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
 * The values probes report through `ctx.metrics`, kept as the latest sample per series.
 * The `/metrics` exporter reads them; probes never reach the exporter directly. Every check
 * reports through here, so a report costs one string key and one map lookup: the sink of a
 * service is built once, and a series' labels object only when the series is new.
 */
export class MetricValues {
  private readonly samples = new Map<string, Series>();
  private readonly sinks = new Map<string, MetricsSink>();

  /** A sink for one service: adds the `service` and `type` labels. */
  sinkFor(service: string, type: string): MetricsSink {
    const id = `${service}\u0000${type}`;
    let sink = this.sinks.get(id);
    if (sink === undefined) {
      sink = {
        set: (name, value, labels) => this.put(name, id, service, type, labels, value, false),
        inc: (name, by = 1, labels) => this.put(name, id, service, type, labels, by, true),
      };
      this.sinks.set(id, sink);
    }
    return sink;
  }

  private put(name: string, id: string, service: string, type: string, labels: Readonly<Record<string, string>> | undefined, value: number, add: boolean): void {
    const key = `${name}\u0000${id}${labelKey(labels)}`;
    const series = this.samples.get(key);
    if (series !== undefined) {
      series.value = add ? series.value + value : value;
      return;
    }
    this.samples.set(key, { name, labels: { ...labels, service, type }, value });
  }

  /** Every sample, for the exporter. */
  all(): MetricSample[] {
    return [...this.samples.values()];
  }

  /** Forget the series of services that no longer exist (after a reload). */
  retainServices(names: ReadonlySet<string>): void {
    for (const [k, s] of this.samples) if (s.labels.service && !names.has(s.labels.service)) this.samples.delete(k);
    for (const id of this.sinks.keys()) if (!names.has(id.slice(0, id.indexOf('\u0000')))) this.sinks.delete(id);
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
