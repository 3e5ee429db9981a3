// File changed → alert: time from a write to the log line and to the `exec` reaction.
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeControl } from '../lib/daemon.mjs';
import { cyclePhase, latencySummary, logFollower, markerScript, pollUntil, startAndSettle } from '../lib/react.mjs';
import { sleep } from '../lib/stats.mjs';
import { fileStat } from './files.mjs';

/** `if changed checksum then exec` on one file among 100 stat-only file services. */
export const reactFile = {
  name: 'react-file',
  title: 'file changed → alert (log line) and exec (checksum, 100 other file services)',
  kind: 'reaction',
  requires: ['service-type:file', 'test:checksum.checksum', 'action:exec'],
  async run(ctx, kind, dir) {
    const { body } = fileStat.setup(dir, 100);
    const watched = join(dir, 'watched');
    writeFileSync(watched, randomBytes(4096));
    const mark = markerScript(join(dir, 'mark'));
    body.push('check file watched with path ' + watched, `  if changed checksum then exec "${mark.script}"`, '');
    const control = writeControl(dir, { interval: ctx.interval, httpPort: await ctx.freePort(), sentinels: ctx.sentinels, body });
    const daemon = await startAndSettle(kind, control, ctx);
    const follow = logFollower(join(control.run, 'daemon.log'));
    const logged = [];
    const fired = [];
    try {
      for (let t = 0; t < ctx.trials; t++) {
        await cyclePhase(ctx, t);
        follow();
        mark.clear();
        appendFileSync(watched, randomBytes(16));
        const t0 = performance.now();
        let logAt;
        const end = await pollUntil(() => {
          if (logAt === undefined && /'watched' checksum changed/.test(follow())) logAt = performance.now();
          return logAt !== undefined && mark.seen();
        }, 10_000);
        logged.push(logAt === undefined ? undefined : logAt - t0);
        fired.push(end === undefined ? undefined : end - t0);
        await sleep(ctx.interval * 1000 + 300); // let a "not changed" cycle pass
      }
    } finally {
      await daemon.stop();
    }
    return { 'change → log line': latencySummary(logged), 'change → exec ran': latencySummary(fired) };
  },
};
