import { compare, defineTest, ok, skipped, type Comparison, type ProbeResult } from '@warden/sdk';
import { exitValue, firstLine } from './exit-value.js';
import type { ProgramTarget } from './runner.js';

/** `if status OP N` keeps its threshold; `if changed status` has none. */
export interface StatusOptions {
  readonly comparison?: Comparison;
}

/** The metric this test sets: the exit status of the last finished run. */
export const EXIT_STATUS_METRIC = 'warden_program_exit_status';

/**
 * `if status OP N` (Monit C44) and `if changed status` (C45) on a program's exit status.
 * The rule engine judges `value`; the message is worded the way Monit logs it
 * (`status failed (2) -- first line of output`) so the log and alerts read the same.
 */
export const statusTest = defineTest<StatusOptions, ProgramTarget>({
  name: 'program.status',
  summary: 'The exit status of the program',
  serviceTypes: ['program'],
  keywords: ['status'],
  polarities: ['none', 'changed'],
  event: 'status',
  codes: {
    'program.spawn': 'the program could not be started (missing, not executable, bad uid/gid)',
  },
  metrics: [
    {
      name: EXIT_STATUS_METRIC,
      help: 'Exit status of the last finished run of the program (128 + N when killed by signal N)',
      type: 'gauge',
    },
  ],
  parse(ts, ctx) {
    ts.expect('status');
    if (ctx.polarity === 'changed') {
      return { options: {}, condition: { kind: 'changed' }, describe: 'changed status' };
    }
    const comparison = ts.comparison(['none']);
    return {
      options: { comparison },
      condition: { kind: 'compare', comparison },
      describe: `status ${comparison.op} ${comparison.text}`,
    };
  },
  run(ctx): ProbeResult {
    const { result, startedAt, timeoutMs } = ctx.target;
    if (!result) return skipped('program not yet finished');
    if (result.spawnError !== undefined) {
      return { status: 'error', code: 'program.spawn', message: `failed to execute -- ${result.spawnError}` };
    }
    const value = exitValue(result);
    ctx.metrics.set(EXIT_STATUS_METRIC, value);
    const timedOut = result.timedOut ? `program timed out after ${timeoutMs / 1000} s, ` : '';
    const detail = `${timedOut}${firstLine(result.output)}`;
    const extras = {
      value,
      observations: {
        exitStatus: value,
        output: result.output.trim(),
        startedAt: startedAt ?? null,
        timedOut: result.timedOut,
      },
    };
    const { comparison } = ctx.options;
    if (!comparison) {
      // `changed`: the engine decides; the message says what it will see.
      const previous = ctx.state.lastStatus as number | undefined;
      ctx.state.lastStatus = value;
      const message =
        previous === undefined || previous === value
          ? `program status didn't change [status=${value}] -- ${detail}`
          : `program status changed (${previous} -> ${value}) -- ${detail}`;
      return ok(message, extras);
    }
    const verdict = compare(value, comparison.op, comparison.value) ? 'failed' : 'succeeded';
    return ok(`status ${verdict} (${value}) -- ${detail}`, extras);
  },
});
