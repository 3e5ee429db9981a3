import { defineServiceType, type MonitType, type ServiceTypeDefinition } from '@warden/sdk';
import { observePath, parsePathTarget, type PathOptions, type PathTarget } from './path-target.js';

/** Build the service type for one kind of path object; the three differ only in name. */
function pathServiceType(
  name: 'file' | 'fifo' | 'directory',
  summary: string,
): ServiceTypeDefinition<PathOptions, PathTarget, undefined> {
  const monitType: MonitType = name;
  return defineServiceType<PathOptions, PathTarget>({
    name,
    summary,
    keywords: [name],
    monitType,
    options: {
      path: { type: 'path', description: `Absolute path of the ${name}; symbolic links are followed.` },
    },
    parseTarget: (ts) => parsePathTarget(ts),
    // Monit B4–B6 / R21: a path service restarts when its object is missing, unless the
    // user wrote their own existence rule.
    implicitRules: () => ['if does not exist then restart'],
    describe: (options) => options.path,
    observe: observePath,
  });
}

/** `check file NAME [with] path PATH` (Monit B4). */
export const fileService = pathServiceType('file', 'A regular file, found by its path');

/** `check fifo NAME [with] path PATH` (Monit B5). */
export const fifoService = pathServiceType('fifo', 'A named pipe, found by its path');

/** `check directory NAME [with] path PATH` (Monit B6). */
export const directoryService = pathServiceType('directory', 'A directory, found by its path');
