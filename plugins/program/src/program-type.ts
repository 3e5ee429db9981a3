import { defineServiceType } from '@warden/sdk';
import { disposeProgram, initProgramState, observeProgram, type ProgramState, type ProgramTarget } from './runner.js';
import { parseProgramTarget, type ProgramOptions } from './target.js';

/**
 * `check program NAME [with] path "CMD ARGS" [as uid U] [and gid G] [with timeout N seconds]`
 * (Monit B11): runs the command every cycle, asynchronously, and hands its exit status and
 * output to the service's tests the cycle after it finished.
 */
export const programService = defineServiceType<ProgramOptions, ProgramTarget, ProgramState>({
  name: 'program',
  summary: 'A command run each cycle, judged by its exit status and output',
  keywords: ['program'],
  monitType: 'program',
  options: {
    path: { type: 'string', description: 'The command and its arguments, quoted; the program must exist when the control file is read.' },
    uid: { type: 'integer', description: 'Run the program as this numeric user id (the daemon must run as root).' },
    gid: { type: 'integer', description: 'Run the program with this numeric group id.' },
    timeout: { type: 'duration', description: 'Kill the program (TERM, then KILL) when it runs longer.', default: '300 s' },
  },
  parseTarget: (ts) => parseProgramTarget(ts),
  describe: (options) => `"${options.command}"`,
  init: () => initProgramState(),
  observe: observeProgram,
  dispose: disposeProgram,
});
