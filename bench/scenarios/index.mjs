// Every scenario, in the order `npm run bench` runs them.
import { fileChecksum, fileStat } from './files.mjs';
import { hostHttp } from './host.mjs';
import { jobsIdle } from './jobs-idle.mjs';
import { parse } from './parse.mjs';
import { processFew, processPidfile } from './process.mjs';
import { reactDisk } from './react-disk.mjs';
import { reactFile } from './react-file.mjs';
import { reactMail } from './react-mail.mjs';
import { reactJob, reactPidfile } from './react-restart.mjs';
import { filesystem, system } from './system.mjs';

/** All scenarios; `quick` marks the ones `--quick` runs. */
export const SCENARIOS = [
  { ...parse, quick: true },
  { ...fileChecksum, quick: true },
  { ...fileStat, quick: true },
  { ...processPidfile, quick: true },
  { ...processFew, quick: false },
  { ...hostHttp, quick: true },
  { ...filesystem, quick: false },
  { ...system, quick: true },
  { ...reactFile, quick: true },
  { ...reactDisk, quick: false },
  { ...reactPidfile, quick: false },
  { ...reactJob, quick: false },
  { ...reactMail, quick: false },
  { ...jobsIdle, quick: false },
];
