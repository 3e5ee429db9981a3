// Disk over threshold → exec: a tmpfs the bench mounts and fills past 50 %.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeControl } from '../lib/daemon.mjs';
import { mountTmpfs, unmount } from '../lib/mount.mjs';
import { cyclePhase, latencySummary, markerScript, pollUntil, startAndSettle } from '../lib/react.mjs';
import { sleep } from '../lib/stats.mjs';

/** `check filesystem` on a 16 MB tmpfs, `if space usage > 50% then exec`; fill with 10 MB. */
export const reactDisk = {
  name: 'react-disk',
  title: 'disk over threshold → exec (16 MB tmpfs filled with 10 MB)',
  kind: 'reaction',
  requires: ['service-type:filesystem', 'test:filesystem.space', 'action:exec'],
  needsRoot: true,
  async run(ctx, kind, dir) {
    const disk = join(dir, 'disk');
    mountTmpfs(disk, 16);
    const mark = markerScript(join(dir, 'mark'));
    const body = ['check filesystem benchdisk with path ' + disk, `  if space usage > 50% then exec "${mark.script}"`, ''];
    const control = writeControl(dir, { interval: ctx.interval, httpPort: await ctx.freePort(), sentinels: ctx.sentinels, body });
    const fired = [];
    let daemon;
    try {
      daemon = await startAndSettle(kind, control, ctx);
      const big = join(disk, 'fill');
      for (let t = 0; t < ctx.trials; t++) {
        await cyclePhase(ctx, t);
        mark.clear();
        writeFileSync(big, Buffer.alloc(10 * 1024 * 1024, 1));
        const t0 = performance.now();
        const end = await pollUntil(mark.seen, 10_000);
        fired.push(end === undefined ? undefined : end - t0);
        rmSync(big, { force: true });
        await sleep(2 * ctx.interval * 1000 + 300); // the recovery has to be seen before the next fill
      }
    } finally {
      await daemon?.stop();
      unmount(disk);
    }
    return { 'fill → exec ran': latencySummary(fired) };
  },
};
