import type { MetricsSink } from '@warden/sdk';

/** One series: a metric name and its labels. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * The values probes report through `ctx.metrics`, kept as the latest sample per series.
 * The `/metrics` exporter reads them; probes never reach the exporter directly.
 */
export class MetricValues {
  private readonly samples = new Map<string, MetricSample>();

  /** A sink for one service: adds the `service` and `type` labels. */
  sinkFor(service: string, type: string): MetricsSink {
    return {
      set: (name, value, labels = {}) => this.put(name, { ...labels, service, type }, value),
      inc: (name, by = 1, labels = {}) => {
        const all = { ...labels, service, type };
        this.put(name, all, (this.samples.get(key(name, all))?.value ?? 0) + by);
      },
    };
  }

  private put(name: string, labels: Record<string, string>, value: number): void {
    this.samples.set(key(name, labels), { name, labels, value });
  }

  /** Every sample, for the exporter. */
  all(): MetricSample[] {
    return [...this.samples.values()];
  }

  /** Forget the series of services that no longer exist (after a reload). */
  retainServices(names: ReadonlySet<string>): void {
    for (const [k, s] of this.samples) if (s.labels.service && !names.has(s.labels.service)) this.samples.delete(k);
  }
}

function key(name: string, labels: Readonly<Record<string, string>>): string {
  return `${name}${JSON.stringify(Object.entries(labels).sort())}`;
}
