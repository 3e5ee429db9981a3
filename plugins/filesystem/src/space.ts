import { defineTest, formatBytes, type Comparison, type ProbeResult } from '@warden/sdk';
import { limitText, notMounted, percent, resourceResult } from './resource.js';
import type { FilesystemTarget } from './target.js';

/** `space [usage] OP N (%|unit)` or `space free OP N (%|unit)`. */
export interface SpaceOptions {
  readonly free: boolean;
  readonly comparison: Comparison;
}

/**
 * `if space [usage] OP N (%|unit)` (Monit C32) and `if space free OP N (%|unit)` (C33).
 * As Monit 5.33 computes it, usage is `(blocks - free) / blocks` with the blocks reserved
 * for root counted as free (so a full ext4 reads ~95%, where `df` reads 100%); `space free`
 * in percent is its complement and in bytes is all free blocks. tmpfs reserves nothing, so
 * both agree with `df` there.
 */
export const spaceTest = defineTest<SpaceOptions, FilesystemTarget>({
  name: 'filesystem.space',
  summary: 'Used or free space, in percent or bytes',
  serviceTypes: ['filesystem'],
  keywords: ['space'],
  polarities: ['none'],
  event: 'resource',
  codes: {},
  metrics: [
    { name: 'node_filesystem_size_bytes', help: 'Filesystem size in bytes', type: 'gauge' },
    { name: 'node_filesystem_free_bytes', help: 'Filesystem free space in bytes, including the space reserved for root', type: 'gauge' },
    { name: 'node_filesystem_avail_bytes', help: 'Filesystem space available to non-root users in bytes', type: 'gauge' },
  ],
  parse(ts) {
    ts.expect('space');
    const free = ts.accept('free') !== undefined;
    const comparison = ts.comparison(['percent', 'bytes']);
    return {
      options: { free, comparison },
      condition: { kind: 'compare', comparison },
      describe: `space ${free ? 'free' : 'usage'} ${comparison.op} ${comparison.text}`,
    };
  },
  steady: () => true,
  run(ctx): ProbeResult {
    const missing = notMounted(ctx.target);
    if (missing) return missing;
    const s = ctx.target.space!;
    const total = s.blocks * s.blockSize;
    const freeBytes = s.blocksFree * s.blockSize;
    const usedPercent = percent(s.blocks - s.blocksFree, s.blocks);
    ctx.metrics.set('node_filesystem_size_bytes', total);
    ctx.metrics.set('node_filesystem_free_bytes', freeBytes);
    ctx.metrics.set('node_filesystem_avail_bytes', s.blocksAvailable * s.blockSize);
    const observations = {
      spaceTotal: total,
      spaceFree: freeBytes,
      spaceAvailable: s.blocksAvailable * s.blockSize,
      spaceUsagePercent: round1(usedPercent),
      blockSize: s.blockSize,
    };
    const { free, comparison: c } = ctx.options;
    const what = free ? 'space free' : 'space usage';
    const pct = free ? 100 - usedPercent : usedPercent;
    const succeeded = `${what} test succeeded [current ${what} = ${pct.toFixed(1)}%]`;
    const limit = limitText(c, formatBytes);
    if (c.unit === 'percent') return resourceResult(c, what, pct, `${pct.toFixed(1)}%`, limit, succeeded, observations);
    const bytes = free ? freeBytes : total - freeBytes;
    return resourceResult(c, what, bytes, formatBytes(bytes), limit, succeeded, observations);
  },
});

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
