import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ArrayTokenStream, ParseError, tokenize } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { ControlModel, Diagnostic, Globals, ServiceModel } from '../model.js';
import { parseRule } from '../monitrc/parse-rule.js';
import { systemUserLookup, type UserLookup } from '../monitrc/user-lookup.js';
import { parsePmtr, type ParsedJob } from './parser.js';

/** pmtr wakes every 10 s; warden checks its jobs' status as often. */
export const PMTR_POLL_SECONDS = 10;

/** Setting names the supervisor plugin reads (see plugins/supervisor/README.md). */
export const PMTR_SETTINGS = { report: 'supervisor.report', listen: 'supervisor.listen', watch: 'supervisor.watch' } as const;

/** What building the model may be given instead of the real system. */
export interface PmtrModelOptions {
  readonly users?: UserLookup;
  readonly exists?: (path: string) => boolean;
}

/**
 * pmtr.conf → the model every front-end produces: one service of type `job` (the
 * supervisor plugin's) per job, in pmtr's start order (`order` ascending, file order
 * within), with the job options as its target; `report to` / `listen on` as the
 * supervisor's settings; a poll of 10 s. A name used twice keeps both jobs (pmtr runs
 * both): the second service is named `NAME#2`, the job's own name stays `NAME`.
 */
export function pmtrModel(text: string, file: string, registry: GrammarRegistry, options: PmtrModelOptions = {}): ControlModel {
  const parsed = parsePmtr(text, file);
  const definition = registry.serviceType('job');
  if (!definition) throw new ParseError({ file, line: 1 }, 'parse failed: no plugin provides the job service type (@warden/plugin-supervisor)');
  const settings: Record<string, unknown> = { [PMTR_SETTINGS.watch]: file };
  if (parsed.reports.length > 0) settings[PMTR_SETTINGS.report] = parsed.reports.map(({ line: _l, ...ep }) => ep);
  if (parsed.listens[0]) {
    const { line: _l, ...ep } = parsed.listens[0];
    settings[PMTR_SETTINGS.listen] = ep;
  }
  const globals: Globals = { daemon: { interval: PMTR_POLL_SECONDS, startDelay: 0, pos: { file, line: 1 } }, loads: [], alerts: [], settings };
  const warnings: Diagnostic[] = [...parsed.warnings, ...checkJobs(parsed.jobs, file, options)];
  const ordered = parsed.jobs.map((j, index) => ({ ...j, index })).sort((a, b) => a.job.order - b.job.order || a.index - b.index);
  const services: ServiceModel[] = [];
  const used = new Map<string, number>();
  for (const { job, line } of ordered) {
    const n = (used.get(job.name) ?? 0) + 1;
    used.set(job.name, n);
    const pos = { file, line };
    const service: ServiceModel = {
      name: n === 1 ? job.name : `${job.name}#${n}`,
      typeName: definition.name,
      monitType: definition.monitType,
      definition,
      target: job,
      pos,
      groups: ['pmtr'],
      depends: [],
      schedule: { kind: 'always' },
      mode: 'active',
      onreboot: 'start',
      alerts: [],
      noalerts: [],
      rules: [],
      restartLimits: [],
    };
    for (const ruleText of definition.implicitRules?.(job) ?? []) {
      const ts = new ArrayTokenStream(tokenize(ruleText, file).map((t) => ({ ...t, line })));
      const ifTok = ts.expect('if');
      const rule = parseRule(ts, registry, service, ifTok);
      if (rule.kind === 'rule') service.rules.push({ ...rule.rule, id: service.rules.length, implicit: true });
    }
    services.push(service);
  }
  return { file, globals, services, warnings };
}

/** What pmtr only finds out when a job starts: unknown users, missing programs and dependencies. */
function checkJobs(jobs: readonly ParsedJob[], file: string, options: PmtrModelOptions): Diagnostic[] {
  const users = options.users ?? systemUserLookup();
  const exists = options.exists ?? existsSync;
  const out: Diagnostic[] = [];
  for (const { job, line } of jobs) {
    const base = job.dir ?? process.cwd();
    const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
    if (job.user !== undefined && !/^\d+$/.test(job.user) && users.uid(job.user) === undefined) {
      out.push({ file, line, message: `job ${job.name}: unknown user: ${job.user}` });
    }
    const program = job.argv[0];
    if (program !== undefined && !exists(at(program))) {
      out.push({ file, line, message: `job ${job.name}: can't exec ${program}: No such file or directory` });
    }
    for (const dep of job.depends) {
      if (!exists(at(dep))) out.push({ file, line, message: `job ${job.name}: can't open dependency ${dep}` });
      else if (statSync(at(dep)).size > 10 * 1024 * 1024) out.push({ file, line, message: `job ${job.name}: ${at(dep)}: file too large` });
    }
  }
  return out;
}
