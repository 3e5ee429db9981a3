import { defineServiceType } from '@warden/sdk';
import { observeFilesystem, parseFilesystemTarget, sameFilesystemTarget, type FilesystemOptions, type FilesystemState, type FilesystemTarget } from './target.js';

/**
 * `check filesystem NAME [with] path PATH|"STRING"` (Monit B7) and its old spelling
 * `check device` (B8): a mount point, block device or mount source, observed once a cycle.
 */
export const filesystemService = defineServiceType<FilesystemOptions, FilesystemTarget, FilesystemState>({
  name: 'filesystem',
  summary: 'A mounted filesystem: space, inodes, flags, I/O and its mount point',
  keywords: ['filesystem', 'device'],
  monitType: 'filesystem',
  options: {
    path: { type: 'path', description: 'The mount point, the block device, or a quoted mount source ("server:/export").' },
  },
  parseTarget: (ts) => parseFilesystemTarget(ts),
  // Monit B7: a missing filesystem restarts (runs the start program) and a remount alerts,
  // unless the user wrote a rule of their own for the same test.
  implicitRules: () => ['if does not exist then restart', 'if changed fsflags then alert'],
  describe: (options) => options.path,
  init: () => ({}),
  observe: observeFilesystem,
  // Every test reads the target alone: a quiet filesystem's rules rest (sdk `steady`).
  sameTarget: sameFilesystemTarget,
});
