import { defineTest, fail, ok, parseExistence } from '@warden/sdk';
import type { FilesystemTarget } from './target.js';

/** `exist` is true for `if [does] exist`, whose messages Monit words the other way round. */
export interface FilesystemExistOptions {
  readonly exist: boolean;
}

/**
 * `if [does] not exist` / `if [does] exist` for a filesystem (Monit B7): a path with
 * nothing mounted at or from it does not exist. Worded as Monit's `check_filesystem`.
 */
export const filesystemExistTest = defineTest<FilesystemExistOptions, FilesystemTarget>({
  name: 'filesystem.exist',
  summary: 'Whether the filesystem is mounted and readable',
  serviceTypes: ['filesystem'],
  keywords: ['exist', 'not'],
  polarities: ['none'],
  event: 'nonexist',
  codes: {
    'filesystem.missing': 'nothing is mounted at or from the path, or statfs failed',
  },
  parse: (ts) => parseExistence(ts, (exist) => ({ exist })),
  steady: () => true,
  run(ctx) {
    const { path, mount, space, error } = ctx.target;
    const { exist } = ctx.options;
    if (!mount || !space) {
      const why = error ? ` -- ${error}` : '';
      const message = exist ? `filesystem '${path}' doesn't exist${why}` : `unable to read filesystem '${path}' state${why}`;
      return fail('filesystem.missing', message, { observations: { mounted: false } });
    }
    return ok(exist ? `filesystem '${path}' exists` : `succeeded getting filesystem statistics for '${path}'`, {
      observations: { mounted: true, mountPoint: mount.mountPoint, fsType: mount.fsType, source: mount.source },
    });
  },
});
