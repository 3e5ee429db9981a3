#!/usr/bin/env node
// Does Monit need a warm-up? Runs Monit alone on one cycle scenario's control file, alternating
// a window from its second cycle (the bench's default for Monit) with one after a 5 s warm-up
// (what warden gets), and prints both medians. Not part of `npm run bench`.
//
//   node bench/monit-warmup.mjs file-stat 100,1000 [--runs 3] [--warmup 5]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './lib/cycle.mjs';
import { measureRun, writeControl } from './lib/daemon.mjs';
import { unmountAll } from './lib/mount.mjs';
import { cycleScenario } from './lib/scenario-daemon.mjs';
import { Sentinels } from './lib/sentinel.mjs';
import { fmt, median } from './lib/stats.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '3' }, warmup: { type: 'string', default: '5' } } });
const [name, sizesText = '100'] = positionals;
const scenario = cycleScenario(name);
if (!scenario) {
  process.stderr.write('usage: node bench/monit-warmup.mjs <cycle scenario> <N[,N…]> [--runs 3] [--warmup 5]\n');
  process.exit(2);
}
const runs = Math.max(1, Number(values.runs));
const warmups = [0, 1000 * Number(values.warmup)];
const sentinels = await new Sentinels().start();
const base = mkdtempSync(join(tmpdir(), 'warden-monit-warmup-'));
try {
  for (const n of sizesText.split(',').map(Number)) {
    const dir = join(base, `${name}-${n}`);
    mkdirSync(dir, { recursive: true });
    const setup = await scenario.setup(dir, n);
    try {
      const httpPort = await freePort();
      const { file, run } = writeControl(dir, { interval: 1, httpPort, sentinels, body: setup.body });
      const got = warmups.map(() => []);
      for (let r = 0; r < runs; r++) {
        // alternate which warm-up goes first
        const order = r % 2 === 0 ? [0, 1] : [1, 0];
        for (const w of order) {
          got[w].push(await measureRun({ kind: 'monit', file, run, sentinels, httpPort, intervalMs: 1000, warmupMs: warmups[w] }));
        }
      }
      for (const [w, res] of got.entries()) {
        const m = (f) => median(res.map((x) => x[f]));
        process.stdout.write(`${name} N=${n} monit, window after ${w === 0 ? 'cycle 2' : `${warmups[w] / 1000} s`}: cpu ${fmt(m('cpuMsPerCycle'), 2)} ms/cycle [${res.map((x) => fmt(x.cpuMsPerCycle, 2)).join(' ')}], wall ${fmt(m('wallMs'), 1)} ms, period ${fmt(m('periodMs'), 0)} ms, rss ${fmt(m('rssKb') / 1024, 1)} MB\n`);
      }
    } finally {
      await setup.cleanup?.();
    }
  }
} finally {
  sentinels.close();
  unmountAll();
  rmSync(base, { recursive: true, force: true });
}
