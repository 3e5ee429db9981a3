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

/** One service's sink and its series, keyed by name and extra labels. */
interface ServiceSeries {
  readonly service: string;
  readonly sink: MetricsSink;
  readonly series: Map<string, Series>;
}

/**
 * The values probes report through `ctx.metrics`, kept as the latest sample per series.
 * The `/metrics` exporter reads them; probes never reach the exporter directly. Every check
 * reports through here, so a report costs one short key and one lookup in its service's own
 * map: the sink of a service is built once, and a series' labels object only when it is new.
 * A sink remembers the series of its last report without labels and of its last one with
 * frozen labels (`warden_checks_total`'s shared ones): the same report again is no lookup.
 */
export class MetricValues {
  private readonly services = new Map<string, ServiceSeries>();

  /** A sink for one service: adds the `service` and `type` labels. */
  sinkFor(service: string, type: string): MetricsSink {
    const id = `${service}\u0000${type}`;
    let entry = this.services.get(id);
    if (entry === undefined) {
      const series = new Map<string, Series>();
      let lastLabels: Readonly<Record<string, string>> | undefined;
      let last: Series | undefined;
      let lastPlain: Series | undefined;
      const put = (name: string, labels: Readonly<Record<string, string>> | undefined, value: number, add: boolean): void => {
        let found = labels === undefined ? (lastPlain?.name === name ? lastPlain : undefined) : labels === lastLabels && last!.name === name ? last : undefined;
        if (found === undefined) {
          const key = labels === undefined ? name : name + labelKey(labels);
          found = series.get(key);
          if (found === undefined) series.set(key, (found = { name, labels: { ...labels, service, type }, value: 0 }));
          // Frozen labels cannot change meanwhile: the same object names the same series.
          if (labels === undefined) lastPlain = found;
          else if (Object.isFrozen(labels)) {
            lastLabels = labels;
            last = found;
          }
        }
        found.value = add ? found.value + value : value;
      };
      const sink: MetricsSink = {
        set: (name, value, labels) => put(name, labels, value, false),
        inc: (name, by = 1, labels) => put(name, labels, by, true),
      };
      this.services.set(id, (entry = { service, sink, series }));
    }
    return entry.sink;
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
