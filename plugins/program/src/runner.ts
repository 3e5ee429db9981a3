import type { Logger, ObserveContext, SpawnResult, SpawnSpec } from '@warden/sdk';
import type { ProgramOptions } from './target.js';

/** One finished run of the program. */
export interface ProgramRun {
  readonly result: SpawnResult;
  /** Wall-clock milliseconds when it was started. */
  readonly startedAt: number;
}

/**
 * Per-service state, kept across cycles: the run in progress, the last finished run and
 * whether a cycle has already reported it. `controller` kills a run when the service goes away.
 */
export interface ProgramState {
  readonly controller: AbortController;
  running?: Promise<void>;
  last?: ProgramRun;
  collected: boolean;
}

/**
 * What the program service observes in a cycle. `result` is set in the cycle after a run
 * finished (Monit R6: started in cycle n, collected in n+1) and only in that one cycle;
 * otherwise it is undefined and `running` says whether a run is still going.
 */
export interface ProgramTarget {
  readonly result?: SpawnResult;
  readonly startedAt?: number;
  readonly running?: boolean;
  /** The configured timeout, for messages. */
  readonly timeoutMs: number;
}

/** A fresh state for one program service. */
export function initProgramState(): ProgramState {
  return { controller: new AbortController(), collected: true };
}

/**
 * Collect the last finished run if no cycle has reported it yet, and start the next run
 * when none is in progress. Never waits for the program: a program slower than the cycle
 * is simply still running next cycle, as in Monit.
 */
export function observeProgram(ctx: ObserveContext<ProgramOptions, ProgramState>): ProgramTarget {
  const { state, options } = ctx;
  let collected: ProgramRun | undefined;
  if (state.last && !state.collected) {
    state.collected = true;
    collected = state.last;
    if (collected.result.timedOut) {
      ctx.log.error(`program timed out after ${options.timeoutMs / 1000} seconds`);
    }
  }
  if (!state.running && !state.controller.signal.aborted) startProgram(ctx);
  if (collected) return { result: collected.result, startedAt: collected.startedAt, timeoutMs: options.timeoutMs };
  return { result: undefined, running: state.running !== undefined, timeoutMs: options.timeoutMs };
}

/** Kill a run in progress and wait until it is gone. */
export async function disposeProgram(state: ProgramState, log: Logger): Promise<void> {
  state.controller.abort();
  if (state.running) {
    log.debug('program stopped');
    await state.running;
  }
}

function startProgram(ctx: ObserveContext<ProgramOptions, ProgramState>): void {
  const { state, options, service } = ctx;
  const startedAt = ctx.clock.now();
  // The run outlives this cycle, so it takes the service's signal, not the cycle's.
  const spec: SpawnSpec = {
    argv: options.argv,
    env: { MONIT_SERVICE: service.name, WARDEN_SERVICE: service.name },
    timeoutMs: options.timeoutMs,
    signal: state.controller.signal,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  };
  const run = async (): Promise<SpawnResult> => {
    try {
      return await ctx.spawn.run(spec);
    } catch (err) {
      return notStarted((err as Error).message);
    }
  };
  state.running = run().then((result) => {
    state.last = { result, startedAt };
    state.collected = false;
    state.running = undefined;
  });
  ctx.log.debug('program started');
}

/** The result of a program the spawner could not even try to start. */
function notStarted(spawnError: string): SpawnResult {
  return {
    pid: undefined,
    status: null,
    signal: null,
    stdout: '',
    stderr: '',
    output: '',
    timedOut: false,
    spawnError,
    durationMs: 0,
  };
}
