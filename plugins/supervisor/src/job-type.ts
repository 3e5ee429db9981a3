import { defineServiceType, splitCommand, type ObserveContext, type TokenStream } from '@warden/sdk';
import { Hub } from './hub.js';
import type { JobOptions } from './job-options.js';
import { activateJob, disposeJob, startJob, stopJob } from './job-runner.js';
import { initJob, phaseOf, type JobExit, type JobPhase, type JobState } from './job-state.js';

/** What a job service observes each cycle: its tests and `-t`/status read this. */
export interface JobTarget {
  readonly name: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  readonly restarts: number;
  readonly lastExit: JobExit | undefined;
  readonly phase: JobPhase;
}

const actions = { start: startJob, stop: stopJob };

/**
 * `check job NAME with command "CMD ARGS" [in directory D] [as uid U [and gid G]] [env "K=V"]…
 * [order N] [once]` (warden extension), and every `job { … }` of a pmtr.conf: a program
 * warden spawns itself and keeps running, restarted the moment it exits.
 */
export const jobService = defineServiceType<JobOptions, JobTarget, JobState>({
  name: 'job',
  summary: 'A program warden spawns and keeps running (pmtr job)',
  keywords: ['job'],
  monitType: 'job',
  options: {
    command: { type: 'string', description: 'The program and its arguments, quoted; run without a shell.' },
    directory: { type: 'path', description: 'Working directory; relative program and file paths start here.' },
    uid: { type: 'string', description: 'Run as this user (name or number): uid, primary gid and supplementary groups.' },
    gid: { type: 'integer', description: 'Run with this group id instead of the user\'s primary group.' },
    env: { type: 'string', description: '"VAR=VALUE" added to the daemon\'s environment; repeatable, last wins.' },
    order: { type: 'integer', description: 'Start order, ascending; equal orders keep file order.', default: 0 },
    once: { type: 'boolean', description: 'Run once; never restart.', default: false },
  },
  parseTarget: (ts, { name }) => parseJobTarget(ts, name),
  implicitRules: () => ['if does not exist then alert'],
  describe: (o) => `"${o.argv.join(' ')}"`,
  init: initJob,
  observe: observeJob,
  dispose: (state) => disposeJob(state),
  adopt: (previous, options) => {
    previous.options = options;
    return previous;
  },
});

function observeJob(ctx: ObserveContext<JobOptions, JobState>): JobTarget {
  const s = ctx.state;
  const first = s.env === undefined;
  s.env = { spawn: ctx.spawn, log: ctx.log };
  Hub.of(ctx.settings, ctx.log, actions).register(s);
  if (first) activateJob(s);
  else startJob(s);
  return { name: s.options.name, pid: s.proc?.pid, running: s.proc !== undefined, restarts: s.restarts, lastExit: s.lastExit, phase: phaseOf(s) };
}

/** The header after `check job NAME`. */
export function parseJobTarget(ts: TokenStream, name: string): JobOptions {
  ts.expect('command');
  const cmdTok = ts.peek();
  const argv = splitCommand(ts.string('a command'));
  if (argv.length === 0) ts.syntaxError('a command', cmdTok);
  let dir: string | undefined;
  let user: string | undefined;
  let gidUser: string | undefined;
  let order = 0;
  let once = false;
  const env: string[] = [];
  for (;;) {
    if (ts.accept('directory')) dir = ts.path();
    else if (ts.accept('uid')) user = ts.next().text;
    else if (ts.accept('gid')) gidUser = String(ts.integer('a numeric gid'));
    else if (ts.accept('env')) {
      const tok = ts.peek();
      const kv = ts.string('"VAR=VALUE"');
      if (kv.indexOf('=') <= 0) ts.error('environment string must be VAR=VALUE', tok);
      env.push(kv);
    } else if (ts.accept('order')) {
      const tok = ts.peek();
      if (/^-\d+$/.test(tok.text)) {
        ts.next();
        order = Number(tok.text);
      } else order = ts.integer('a number');
    }
    else if (ts.accept('once')) once = true;
    else break;
  }
  return {
    name, argv, env, ulimits: [], depends: [], disabled: false, wait: false, once, order,
    ...(dir !== undefined ? { dir } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(gidUser !== undefined ? { gid: Number(gidUser) } : {}),
  };
}
