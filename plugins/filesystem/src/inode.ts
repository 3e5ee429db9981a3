import { defineTest, skipped, type Comparison, type ProbeResult } from '@warden/sdk';
import { limitText, notMounted, percent, resourceResult } from './resource.js';
import type { FilesystemTarget } from './target.js';

/** `inode[s] [usage] OP N [%]` or `inode[s] free OP N [%]`. */
export interface InodeOptions {
  readonly free: boolean;
  readonly comparison: Comparison;
}

/**
 * `if inode[s] [usage] OP N [%]` and `if inode[s] free OP N [%]` (Monit C34): inodes in use
 * or free, as a count or a percentage of all inodes. A filesystem without inodes (some
 * network and FUSE filesystems report 0) has nothing to judge.
 */
export const inodeTest = defineTest<InodeOptions, FilesystemTarget>({
  name: 'filesystem.inode',
  summary: 'Used or free inodes, as a count or in percent',
  serviceTypes: ['filesystem'],
  keywords: ['inode', 'inodes'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  metrics: [
    { name: 'node_filesystem_files', help: 'Filesystem total inodes', type: 'gauge' },
    { name: 'node_filesystem_files_free', help: 'Filesystem free inodes', type: 'gauge' },
  ],
  parse(ts) {
    ts.expect('inode', 'inodes');
    const free = ts.accept('free') !== undefined;
    const comparison = ts.comparison(['percent', 'none']);
    return {
      options: { free, comparison },
      condition: { kind: 'compare', comparison },
      describe: `inode ${free ? 'free' : 'usage'} ${comparison.op} ${comparison.text}`,
    };
  },
  steady: () => true,
  run(ctx): ProbeResult {
    const missing = notMounted(ctx.target);
    if (missing) return missing;
    const s = ctx.target.space!;
    if (s.inodes <= 0) return skipped("filesystem doesn't support inodes");
    ctx.metrics.set('node_filesystem_files', s.inodes);
    ctx.metrics.set('node_filesystem_files_free', s.inodesFree);
    const usedPercent = percent(s.inodes - s.inodesFree, s.inodes);
    const observations = { inodesTotal: s.inodes, inodesFree: s.inodesFree, inodeUsagePercent: Math.round(usedPercent * 10) / 10 };
    const { free, comparison: c } = ctx.options;
    const what = free ? 'inode free' : 'inode usage';
    const pct = free ? 100 - usedPercent : usedPercent;
    const succeeded = `${what} test succeeded [current ${what} = ${pct.toFixed(1)}%]`;
    const limit = limitText(c, String);
    if (c.unit === 'percent') return resourceResult(c, what, pct, `${pct.toFixed(1)}%`, limit, succeeded, observations);
    const count = free ? s.inodesFree : s.inodes - s.inodesFree;
    return resourceResult(c, what, count, String(count), limit, succeeded, observations);
  },
});
