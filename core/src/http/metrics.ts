import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricDoc } from '@warden/sdk';
import type { MetricSample, MetricValues } from '../status/metric-values.js';
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

/** Resolution of `warden_process_nodejs_eventloop_lag_*`. */
export const EVENT_LOOP_PRECISION_MS = 100;

/**
 * Node's default process metrics (`warden_process_*`). Collecting them starts an event-loop
 * monitor and GC observers, so a daemon makes this once and shares the metrics with every
 * registry it builds (text and OpenMetrics, and again at each reload).
 */
export function createProcessMetrics(): Registry {
  const registry = new Registry();
  // The event-loop lag monitor samples every 100 ms, not prom-client's 10: a timer firing 100
  // times a second cost an idle daemon ~5 ms of CPU per second, more than a cycle of 100 checks.
  collectDefaultMetrics({ register: registry, prefix: 'warden_process_', eventLoopMonitoringPrecision: EVENT_LOOP_PRECISION_MS });
  // prom-client names these gauges `_total`, which Prometheus reserves for counters (promtool rejects them).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(`warden_process_${name}`);
  }
  return registry;
}

/**
 * The `/metrics` registry: Node's default process metrics and the daemon-wide gauges through
 * prom-client; the families with a series per service (service state, core's counters, the
 * plugins' declared metrics) are written straight from the status store and the metric
 * values at scrape time, because prom-client's label hashing costs ~35 µs a series and a
 * scrape of 10,000 services must stay well under Prometheus' timeout.
 */
export function createRegistry(src: ExporterSources, openMetrics = false, processMetrics = createProcessMetrics()): Registry {
  const registry = new ServiceRegistry(src, openMetrics);
  if (openMetrics) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as typeof Registry.PROMETHEUS_CONTENT_TYPE);
  for (const { name } of processMetrics.getMetricsAsArray()) {
    const metric = processMetrics.getSingleMetric(name);
    if (metric) registry.registerMetric(metric);
  }
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
  return registry;
}

/** prom-client's registry plus the per-service families, rendered by {@link serviceFamilies}. */
class ServiceRegistry extends Registry {
  /** Rendered label sets, by service and by series' labels object (both live as long as their series). */
  private readonly labels: LabelCache = new WeakMap();

  constructor(
    private readonly src: ExporterSources,
    private readonly openMetrics: boolean,
  ) {
    super();
  }

  override async metrics(): Promise<string> {
    const base = await super.metrics();
    const families = serviceFamilies(this.src, this.openMetrics, this.labels);
    if (!this.openMetrics) return `${base}\n${families.join('\n\n')}\n`;
    return `${base.slice(0, base.length - '# EOF\n'.length)}${families.join('\n')}\n# EOF\n`;
  }
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string) => (/[\\\n"]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : text);

/** A rendered label set, and whether it holds every label of its series (so no two series collapse). */
type LabelCache = WeakMap<object, { readonly text: string; readonly exact: boolean }>;
const formatValue = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

/** One family in the exposition format: HELP, TYPE, then `name{labels} value` lines. */
function family(name: string, help: string, type: 'gauge' | 'counter', lines: string[], openMetrics: boolean): string {
  const base = openMetrics && type === 'counter' ? name.replace(/_total$/, '') : name;
  const head = `# HELP ${base} ${escapeHelp(help)}\n# TYPE ${base} ${type}`;
  return lines.length ? `${head}\n${lines.join('\n')}` : head;
}

/** `{service="a",type="file"}` from label names and values. */
function labelText(names: readonly string[], values: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) out += `${i ? ',' : ''}${names[i]}="${escapeLabel(values[i]!)}"`;
  return `{${out}}`;
}

function serviceFamilies(src: ExporterSources, openMetrics: boolean, cache: LabelCache): string[] {
  const services = src.store.all();
  const up: string[] = [];
  const monitored: string[] = [];
  const failing: string[] = [];
  const groups: string[] = [];
  for (const s of services) {
    let st = cache.get(s)?.text;
    if (st === undefined) {
      st = labelText(['service', 'type'], [s.name, s.type]);
      cache.set(s, { text: st, exact: true });
    }
    up.push(`warden_service_up${st} ${s.monitor !== 'not monitored' && s.status === 'OK' ? 1 : 0}`);
    monitored.push(`warden_service_monitored${st} ${s.monitor === 'monitored' ? 1 : s.monitor === 'initializing' ? 0.5 : 0}`);
    for (const e of s.failingEvents) failing.push(`warden_service_failing${labelText(['service', 'type', 'event'], [s.name, s.type, e])} 1`);
    for (const g of s.groups) groups.push(`warden_service_group_info${labelText(['service', 'group'], [s.name, g])} 1`);
  }
  const out = [
    family('warden_service_up', '1 when the service is monitored and its last check found no failure.', 'gauge', up, openMetrics),
    family('warden_service_monitored', '1 monitored, 0 not monitored, 0.5 initialising.', 'gauge', monitored, openMetrics),
    family('warden_service_failing', '1 for each event class a service is failing on.', 'gauge', failing, openMetrics),
    family('warden_service_group_info', 'Group membership: one series per service and group.', 'gauge', groups, openMetrics),
  ];
  const byName = new Map<string, MetricSample[]>();
  for (const sample of src.values.all()) {
    const list = byName.get(sample.name);
    if (list) list.push(sample);
    else byName.set(sample.name, [sample]);
  }
  const seen = new Set<string>();
  for (const doc of [...CORE_METRICS, ...src.declared]) {
    if (seen.has(doc.name)) continue;
    seen.add(doc.name);
    const labelNames = ['service', 'type', ...(doc.labels ?? [])];
    const name = openMetrics && doc.type === 'counter' ? `${doc.name.replace(/_total$/, '')}_total` : doc.name;
    const samples = byName.get(doc.name) ?? [];
    const rendered = samples.map((sample) => {
      let hit = cache.get(sample.labels);
      if (hit === undefined) {
        const exact = Object.keys(sample.labels).length === labelNames.length && labelNames.every((l) => l in sample.labels);
        hit = { text: labelText(labelNames, labelNames.map((l) => sample.labels[l] ?? '')), exact };
        cache.set(sample.labels, hit);
      }
      return hit;
    });
    let lines: string[];
    if (rendered.every((r) => r.exact)) {
      lines = samples.map((sample, i) => `${name}${rendered[i]!.text} ${formatValue(sample.value)}`);
    } else {
      // Series that differ only in labels the declaration lacks collapse: counters add, gauges keep the last.
      const series = new Map<string, number>();
      samples.forEach((sample, i) => {
        const labels = rendered[i]!.text;
        series.set(labels, doc.type === 'counter' ? (series.get(labels) ?? 0) + sample.value : sample.value);
      });
      lines = [...series].map(([labels, value]) => `${name}${labels} ${formatValue(value)}`);
    }
    out.push(family(doc.name, doc.help, doc.type === 'counter' ? 'counter' : 'gauge', lines, openMetrics));
  }
  return out;
}
