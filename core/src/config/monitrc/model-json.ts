import type { ControlModel, Diagnostic, Rate, Schedule } from '../model.js';

/** One rule in `-t --json`. */
export interface RuleJson {
  readonly test: string;
  readonly polarity: string;
  readonly describe: string;
  readonly rate: Rate;
  readonly action: string;
  readonly else: string | null;
  readonly line: number;
  readonly implicit: boolean;
}

/** When a service is checked in `-t --json`: null for every cycle. */
export type EveryJson = null | { readonly cycles: number } | { readonly cron: string; readonly not: boolean };

/** One service in `-t --json`. */
export interface ServiceJson {
  readonly name: string;
  readonly type: string;
  readonly groups: readonly string[];
  readonly depends: readonly string[];
  readonly rules: readonly RuleJson[];
  readonly every: EveryJson;
}

/** The document `warden -t --json` prints. */
export interface ModelJson {
  readonly services: readonly ServiceJson[];
  /** `FILE:LINE: message` lines. */
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
}

/** The `-t --json` view of a model; `errors` are the messages that stopped the parse, if any. */
export function toJson(model: ControlModel | undefined, errors: readonly string[] = []): ModelJson {
  return {
    services: (model?.services ?? []).map((s) => ({
      name: s.name,
      type: s.monitType,
      groups: [...s.groups],
      depends: [...s.depends],
      rules: s.rules.map((r) => ({
        test: r.test.name,
        polarity: r.polarity,
        describe: r.describe,
        rate: { times: r.rate.times, cycles: r.rate.cycles },
        action: r.action.describe,
        else: r.elseAction?.describe ?? null,
        line: r.pos.line,
        implicit: r.implicit,
      })),
      every: everyJson(s.schedule),
    })),
    warnings: (model?.warnings ?? []).map(diagnosticText),
    errors: [...errors],
  };
}

/** `FILE:LINE: message`, the form Monit prints. */
export function diagnosticText(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.message}`;
}

function everyJson(s: Schedule): EveryJson {
  switch (s.kind) {
    case 'always': return null;
    case 'cycles': return { cycles: s.n };
    case 'cron': return { cron: s.expression, not: s.negate };
  }
}
