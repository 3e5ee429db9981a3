import { defineTest, fail, ok, skipped, type ProbeResult } from '@warden/sdk';
import { exitValue } from './exit-value.js';
import { baseValue, parsePerfdata, splitNagiosOutput } from './perfdata.js';
import type { ProgramTarget } from './runner.js';

/** Nagios plugin states by exit code; anything else is UNKNOWN, as Nagios treats it. */
export const NAGIOS_STATES = ['ok', 'warning', 'critical', 'unknown'] as const;

/** A Nagios state. */
export type NagiosState = (typeof NAGIOS_STATES)[number];

/** `failed nagios [warning|critical|unknown]`: the least severe state that fails the rule. */
export interface NagiosOptions {
  readonly level: Exclude<NagiosState, 'ok'>;
}

/** Metrics this test sets. */
export const PERFDATA_METRIC = 'warden_program_perfdata';
export const NAGIOS_STATE_METRIC = 'warden_program_nagios_state';

/**
 * A warden extension for Nagios/Icinga plugins run by `check program`:
 * `if failed nagios [warning|critical|unknown] then …`. The exit code is the plugin's state
 * (0 OK, 1 WARNING, 2 CRITICAL, 3 or anything else UNKNOWN); the rule fails when the state is
 * at least the level named (default `warning`: anything but OK). The message is the
 * plugin's status line; its performance data become observations and metrics.
 */
export const nagiosTest = defineTest<NagiosOptions, ProgramTarget>({
  name: 'program.nagios',
  summary: 'The state of a Nagios plugin, with its performance data',
  serviceTypes: ['program'],
  keywords: ['nagios'],
  polarities: ['failed', 'succeeded'],
  event: 'status',
  codes: {
    'program.nagios': 'the Nagios plugin reported a state at or above the rule\'s level',
    'program.spawn': 'the program could not be started (missing, not executable, bad uid/gid)',
  },
  metrics: [
    { name: PERFDATA_METRIC, help: 'A Nagios performance datum of the last run, in base units (seconds, bytes)', type: 'gauge', labels: ['label'] },
    { name: NAGIOS_STATE_METRIC, help: 'Nagios state of the last run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN', type: 'gauge' },
  ],
  parse(ts, ctx) {
    ts.expect('nagios');
    const word = ts.accept('warning', 'critical', 'unknown')?.text.toLowerCase() as NagiosOptions['level'] | undefined;
    const level = word ?? 'warning';
    const invert = ctx.polarity === 'succeeded';
    return {
      options: { level },
      condition: { kind: 'state', ...(invert ? { invert } : {}) },
      describe: `${invert ? 'succeeded' : 'failed'} nagios${word ? ` ${word}` : ''}`,
    };
  },
  run(ctx): ProbeResult {
    const { result } = ctx.target;
    if (!result) return skipped('program not yet finished');
    if (result.spawnError !== undefined) {
      return { status: 'error', code: 'program.spawn', message: `failed to execute -- ${result.spawnError}` };
    }
    const code = exitValue(result);
    const state: NagiosState = NAGIOS_STATES[code] ?? 'unknown';
    const rank = NAGIOS_STATES.indexOf(state);
    const { text, perfdata } = splitNagiosOutput(result.stdout || result.output);
    const data = parsePerfdata(perfdata);
    ctx.metrics.set(NAGIOS_STATE_METRIC, rank);
    const observations: Record<string, string | number> = { nagiosState: state, exitStatus: code, output: result.output.trim() };
    for (const d of data) {
      ctx.metrics.set(PERFDATA_METRIC, baseValue(d), { label: d.label });
      observations[`perfdata.${d.label}`] = d.value;
      if (d.uom) observations[`perfdata.${d.label}.uom`] = d.uom;
    }
    const message = `nagios ${state.toUpperCase()} (${code}) -- ${text || 'no output'}`;
    const failing = rank >= NAGIOS_STATES.indexOf(ctx.options.level);
    return failing ? fail('program.nagios', message, { value: code, observations }) : ok(message, { value: code, observations });
  },
});
