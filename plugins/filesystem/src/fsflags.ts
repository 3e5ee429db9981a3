import { defineTest, ok } from '@warden/sdk';
import { notMounted } from './resource.js';
import type { FilesystemTarget } from './target.js';

/** `if changed fsflags` takes no options. */
export type FsflagsOptions = Record<string, never>;

/**
 * `if changed fsflags` (Monit C37): the mount flags (per-mount options, then the
 * superblock's) changed since the last cycle, such as a remount read-only after an I/O
 * error. Every filesystem service has it with `alert` unless the user wrote their own.
 */
export const fsflagsTest = defineTest<FsflagsOptions, FilesystemTarget>({
  name: 'filesystem.fsflags',
  summary: 'The mount flags changed',
  serviceTypes: ['filesystem'],
  keywords: ['fsflags', 'fsflag'],
  polarities: ['changed'],
  event: 'fsflags',
  codes: {},
  parse(ts) {
    ts.expect('fsflags', 'fsflag');
    return { options: {}, condition: { kind: 'changed' }, describe: 'changed fsflags' };
  },
  steady: () => true,
  run(ctx) {
    const missing = notMounted(ctx.target);
    if (missing) return missing;
    const flags = ctx.target.mount!.flags;
    const previous = ctx.state.lastFlags as string | undefined;
    ctx.state.lastFlags = flags;
    const message = previous === undefined || previous === flags
      ? `filesystem flags has not changed [current flags '${flags}']`
      : `filesystem flags changed to ${flags}`;
    return ok(message, { value: flags, observations: { flags } });
  },
});
