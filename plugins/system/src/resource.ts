import { compare, ok, type Comparison, type Observation, type ProbeResult } from '@warden/sdk';

/** The failure code every system test declares for a /proc file it could not read. */
export const DATA_CODE = 'system.data';

/** The code's line, for `codes`. */
export const DATA_CODES = { [DATA_CODE]: 'a /proc file the test needs could not be read or parsed' } as const;

/** The monitor cannot read what it needs: an error, not a verdict on the machine. */
export function unavailable(what: string, file: string): ProbeResult {
  return { status: 'error', code: DATA_CODE, message: `system statistic error -- cannot get ${what} from ${file}` };
}

/**
 * Monit's resource wording for system tests: `<what> of <shown> matches resource limit
 * [<what> OP <limit>]` when the rule's condition holds, else
 * `<what> check succeeded [current <what> = <shown>]`. The engine judges `value` itself.
 */
export function resourceResult(
  c: Comparison,
  what: string,
  value: number,
  shown: string,
  limit: string,
  observations: Readonly<Record<string, Observation>>,
): ProbeResult {
  const message = compare(value, c.op, c.value)
    ? `${what} of ${shown} matches resource limit [${what} ${c.op} ${limit}]`
    : `${what} check succeeded [current ${what} = ${shown}]`;
  return ok(message, { value, display: shown, observations });
}

/** Round to one decimal for observations (status pages print `%.1f`). */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
