import { compare, ok, skipped, type Comparison, type Observation, type ProbeResult } from '@warden/sdk';
import type { FilesystemTarget } from './target.js';

/** A comparison threshold as Monit prints it: `80.0%`, `1.0 GB`, `500`. */
export function limitText(c: Comparison, bytes: (n: number) => string): string {
  if (c.unit === 'percent') return `${c.value.toFixed(1)}%`;
  if (c.unit === 'bytes') return bytes(c.value);
  return String(c.value);
}

/**
 * A resource test's result in Monit's words: when the rule's condition holds,
 * `<what> <shown> matches resource limit [<what> OP <limit>]`, else `succeeded`. The verdict
 * in the message is the probe's reading of the rule; the rule engine judges `value` itself.
 */
export function resourceResult(
  c: Comparison,
  what: string,
  value: number,
  shown: string,
  limit: string,
  succeeded: string,
  observations: Readonly<Record<string, Observation>>,
): ProbeResult {
  const message = compare(value, c.op, c.value) ? `${what} ${shown} matches resource limit [${what} ${c.op} ${limit}]` : succeeded;
  return ok(message, { value, display: shown, observations });
}

/** Nothing to judge when the filesystem is not mounted: the existence rule reports that. */
export function notMounted(target: FilesystemTarget): ProbeResult | undefined {
  if (target.space && target.mount) return undefined;
  const why = target.error ? ` -- ${target.error}` : '';
  return skipped(`filesystem '${target.path}' is not mounted${why}`);
}

/** `100 * part / whole`, or 0 for an empty whole. */
export function percent(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : 0;
}
