import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricDoc } from '@warden/sdk';
import type { MetricValues } from '../status/metric-values.js';
import type { StatusStore } from '../status/status-store.js';

/** Counters and gauges core itself feeds through the metric values (the engine's `inc`/`set`). */
export const CORE_METRICS: readonly MetricDoc[] = [
  { name: 'warden_checks_total', help: 'Rule checks run, by result (ok, failed, error, timeout, skipped).', type: 'counter', labels: ['result'] },
  { name: 'warden_events_total', help: 'Events emitted, by event class and state.', type: 'counter', labels: ['event', 'state'] },
  { name: 'warden_actions_total', help: 'Actions run, by action and result.', type: 'counter', labels: ['action', 'result'] },
  { name: 'warden_restarts_total', help: 'Restarts of the service by warden.', type: 'counter' },
  { name: 'warden_check_duration_seconds', help: 'Duration of the last check of the service.', type: 'gauge' },
];

/** What the exporter reads besides the status store. */
export interface ExporterSources {
  readonly store: StatusStore;
  readonly values: MetricValues;
  readonly version: string;
  /** Metrics the loaded plugins declared. */
  readonly declared: readonly MetricDoc[];
  readonly lastReloadOk: () => boolean;
}

/**
 * The `/metrics` registry (prom-client): service state from the status store, core's
 * counters, the plugins' declared gauges, and Node's default process metrics. Values are
 * read at scrape time through `collect`, never pushed by probes.
 */
export function createRegistry(src: ExporterSources, openMetrics = false): Registry {
  const registry = new Registry();
  if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as typeof Registry.PROMETHEUS_CONTENT_TYPE);
  collectDefaultMetrics({ register: registry, prefix: 'warden_process_' });
  // prom-client names these gauges `_total`, which Prometheus reserves for counters (promtool rejects them).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(`warden_process_${name}`);
  }
  const st = () => src.store.all();
  new Gauge({
    name: 'warden_service_up', help: '1 when the service is monitored and its last check found no failure.', labelNames: ['service', 'type'], registers: [registry],
    collect() { this.reset(); for (const s of st()) this.set({ service: s.name, type: s.type }, s.monitor !== 'not monitored' && s.status === 'OK' ? 1 : 0); },
  });
  new Gauge({
    name: 'warden_service_monitored', help: '1 monitored, 0 not monitored, 0.5 initialising.', labelNames: ['service', 'type'], registers: [registry],
    collect() { this.reset(); for (const s of st()) this.set({ service: s.name, type: s.type }, s.monitor === 'monitored' ? 1 : s.monitor === 'initializing' ? 0.5 : 0); },
  });
  new Gauge({
    name: 'warden_service_failing', help: '1 for each event class a service is failing on.', labelNames: ['service', 'type', 'event'], registers: [registry],
    collect() { this.reset(); for (const s of st()) for (const e of s.failingEvents) this.set({ service: s.name, type: s.type, event: e }, 1); },
  });
  new Gauge({
    name: 'warden_service_group_info', help: 'Group membership: one series per service and group.', labelNames: ['service', 'group'], registers: [registry],
    collect() { this.reset(); for (const s of st()) for (const g of s.groups) this.set({ service: s.name, group: g }, 1); },
  });
  new Gauge({
    name: 'warden_cycle_duration_seconds', help: 'Wall time of the last complete cycle.', registers: [registry],
    collect() { this.set((src.store.lastCycle?.durationMs ?? 0) / 1000); },
  });
  new Gauge({
    name: 'warden_config_last_reload_success', help: '1 when the last configuration load or reload succeeded.', registers: [registry],
    collect() { this.set(src.lastReloadOk() ? 1 : 0); },
  });
  new Gauge({ name: 'warden_build_info', help: 'warden version and Node.js version.', labelNames: ['version', 'nodejs'], registers: [registry] })
    .set({ version: src.version, nodejs: process.versions.node }, 1);

  const seen = new Set<string>();
  for (const doc of [...CORE_METRICS, ...src.declared]) {
    if (seen.has(doc.name)) continue;
    seen.add(doc.name);
    const labelNames = ['service', 'type', ...(doc.labels ?? [])];
    const fill = (m: Gauge | Counter) => {
      m.reset();
      for (const sample of src.values.all()) {
        if (sample.name !== doc.name) continue;
        const labels = Object.fromEntries(labelNames.map((l) => [l, sample.labels[l] ?? '']));
        if (m instanceof Counter) m.inc(labels, sample.value);
        else m.set(labels, sample.value);
      }
    };
    if (doc.type === 'counter') new Counter({ name: doc.name, help: doc.help, labelNames, registers: [registry], collect() { fill(this); } });
    else new Gauge({ name: doc.name, help: doc.help, labelNames, registers: [registry], collect() { fill(this); } });
  }
  return registry;
}
