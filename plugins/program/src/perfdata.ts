/** One performance datum of a Nagios plugin: `'label'=value[UOM];[warn];[crit];[min];[max]`. */
export interface PerfDatum {
  readonly label: string;
  readonly value: number;
  /** Unit of measure as printed: `s`, `ms`, `us`, `%`, `B`, `KB`, `MB`, `GB`, `TB`, `c` or none. */
  readonly uom: string;
  readonly warn?: string;
  readonly crit?: string;
  readonly min?: number;
  readonly max?: number;
}

/** At most this many data are kept: the metric's label values are bounded by it too. */
export const MAX_PERFDATA = 64;

/**
 * Split a Nagios plugin's stdout (Nagios Plugin Development Guidelines, "Plugin Output"):
 * the first line is `TEXT|PERFDATA`; further lines are long text, and a `|` on one of them
 * starts more performance data running to the end of the output.
 */
export function splitNagiosOutput(stdout: string): { text: string; perfdata: string } {
  const newline = stdout.indexOf('\n');
  const first = newline < 0 ? stdout : stdout.slice(0, newline);
  const rest = newline < 0 ? '' : stdout.slice(newline + 1);
  const bar = first.indexOf('|');
  const text = (bar < 0 ? first : first.slice(0, bar)).trim();
  const perf1 = bar < 0 ? '' : first.slice(bar + 1);
  const bar2 = rest.indexOf('|');
  const perf2 = bar2 < 0 ? '' : rest.slice(bar2 + 1);
  return { text, perfdata: `${perf1} ${perf2}`.trim() };
}

const DATUM = /('(?:[^']|'')+'|[^\s'=]+)=(\S+)/g;
const VALUE = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)([a-zA-Z%]*)$/;

/**
 * Parse performance data; malformed items and `U` (value unknown) are skipped, so output
 * cut at the spawner's limit loses only its last item.
 */
export function parsePerfdata(perfdata: string): PerfDatum[] {
  const data: PerfDatum[] = [];
  for (const m of perfdata.matchAll(DATUM)) {
    if (data.length >= MAX_PERFDATA) break;
    const rawLabel = m[1]!;
    const label = rawLabel.startsWith("'") ? rawLabel.slice(1, -1).replace(/''/g, "'") : rawLabel;
    const [valueField, warn, crit, min, max] = m[2]!.split(';');
    const v = VALUE.exec(valueField ?? '');
    if (!v) continue;
    const num = (s: string | undefined) => (s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);
    const minN = num(min);
    const maxN = num(max);
    data.push({
      label,
      value: Number(v[1]),
      uom: v[2]!,
      ...(warn ? { warn } : {}),
      ...(crit ? { crit } : {}),
      ...(minN !== undefined ? { min: minN } : {}),
      ...(maxN !== undefined ? { max: maxN } : {}),
    });
  }
  return data;
}

const BASE: Readonly<Record<string, number>> = {
  s: 1, ms: 1e-3, us: 1e-6,
  b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4,
};

/** The value in base units (seconds, bytes) for the metric; `%`, `c` and none unchanged. */
export function baseValue(d: PerfDatum): number {
  return d.value * (BASE[d.uom.toLowerCase()] ?? 1);
}
