import { defineServiceType, type MonitType, type Observation, type ServiceTypeDefinition } from '@warden/sdk';
import { initPathState, observePath, parsePathTarget, samePathTarget, type PathOptions, type PathState, type PathTarget } from './path-target.js';

/** Build the service type for one kind of path object; the three differ only in name. */
function pathServiceType(
  name: 'file' | 'fifo' | 'directory',
  summary: string,
): ServiceTypeDefinition<PathOptions, PathTarget, PathState> {
  const monitType: MonitType = name;
  return defineServiceType<PathOptions, PathTarget, PathState>({
    name,
    summary,
    keywords: [name],
    monitType,
    options: {
      path: { type: 'path', description: `Absolute path of the ${name}; symbolic links are followed.` },
    },
    parseTarget: (ts) => parsePathTarget(ts),
    // Monit B4–B6 / R21: a path service restarts when its object is missing or of the
    // wrong kind (Invalid type), unless the user wrote their own rule for that test.
    implicitRules: () => ['if does not exist then restart', 'if failed type then restart'],
    describe: (options) => options.path,
    init: initPathState,
    observe: observePath,
    observations: (target) => pathObservations(name, target),
    // Every test but content and a timestamp's age reads only the stat: while it stays, they rest.
    sameTarget: samePathTarget,
    // The target is the path's stat alone, and a stat that did not move hands the last one back.
    statPath: (options) => options.path,
  });
}

/**
 * What status pages show for a path whatever the rules: Monit's permission (octal, no
 * leading zero), owner, size for files and the three times (epoch seconds).
 */
function pathObservations(name: 'file' | 'fifo' | 'directory', target: PathTarget): Record<string, Observation> {
  const st = target.stat;
  if (!st) return {};
  return {
    mode: (st.mode & 0o7777).toString(8),
    uid: st.uid,
    gid: st.gid,
    ...(name === 'file' ? { size: st.size } : {}),
    accessTime: Math.floor(st.atimeMs / 1000),
    changeTime: Math.floor(st.ctimeMs / 1000),
    modifyTime: Math.floor(st.mtimeMs / 1000),
  };
}

/** `check file NAME [with] path PATH` (Monit B4). */
export const fileService = pathServiceType('file', 'A regular file, found by its path');

/** `check fifo NAME [with] path PATH` (Monit B5). */
export const fifoService = pathServiceType('fifo', 'A named pipe, found by its path');

/** `check directory NAME [with] path PATH` (Monit B6). */
export const directoryService = pathServiceType('directory', 'A directory, found by its path');
