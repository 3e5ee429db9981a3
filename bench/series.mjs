#!/usr/bin/env node
// CPU per second of each daemon over its first minute, step by step: how long warden takes to
// reach its steady cost (V8 compiles the hot paths as they get hot and collects the start-up
// garbage; at N = 100 that takes tens of seconds of 1-s cycles), and Monit's flat line beside
// it. Not part of `npm run bench`, whose windows start after a 5-s warm-up.
//   node bench/series.mjs file-stat 100 [--seconds 60] [--step 5] [--no-monit] [--variant paranoid] [-- node flags]
// (a variant is warden's control file only: Monit runs the scenario's own, as in the bench)
import { parseArgs } from 'node:util';
import { cpuOf, memOf } from './lib/proc.mjs';
import { cycleScenario, withScenarioDaemon } from './lib/scenario-daemon.mjs';
import { sleep } from './lib/stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '60' }, step: { type: 'string', default: '5' }, 'no-monit': { type: 'boolean', default: false }, variant: { type: 'string' } },
});
const [name, nText, ...nodeFlags] = positionals;
const scenario = cycleScenario(name);
const seconds = Number(values.seconds);
const step = Number(values.step);
if (!scenario || !(seconds > 0) || !(step > 0)) {
  process.stderr.write('usage: node bench/series.mjs <cycle scenario> <N> [--seconds 60] [--step 5] [--no-monit] [-- node flags]\n');
  process.exit(2);
}

/** CPU ms per second in each step from the spawn on, and VmRSS at the end. */
async function series(child) {
  const out = [];
  let before = 0;
  let at = performance.now();
  for (let i = 0; i < Math.ceil(seconds / step); i++) {
    await sleep(step * 1000);
    const ns = cpuOf(child.pid)?.ns ?? before;
    const now = performance.now();
    out.push((ns - before) / 1e6 / ((now - at) / 1000));
    before = ns;
    at = now;
  }
  const rss = (memOf(child.pid)?.rssKb ?? NaN) / 1024;
  return { out, rss };
}

const n = Number(nText) || 100;
const kinds = values['no-monit'] ? ['warden'] : ['warden', 'monit'];
const rows = {};
for (const kind of kinds) rows[kind] = await withScenarioDaemon(scenario, n, () => nodeFlags, series, kind, kind === 'warden' ? values.variant : undefined);
process.stdout.write(`${scenario.name} N=${n}: CPU ms per second, each column ${step} s (from the spawn)\n`);
process.stdout.write(`${'s'.padEnd(8)}${rows.warden.out.map((_, i) => String((i + 1) * step).padStart(7)).join('')}   RSS MB\n`);
for (const kind of kinds) process.stdout.write(`${kind.padEnd(8)}${rows[kind].out.map((v) => v.toFixed(1).padStart(7)).join('')}   ${rows[kind].rss.toFixed(1)}\n`);
if (rows.monit) {
  const tail = (a) => a.slice(-Math.max(1, Math.floor(a.length / 3)));
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  const w = mean(tail(rows.warden.out));
  const m = mean(tail(rows.monit.out));
  process.stdout.write(`last third: warden ${w.toFixed(1)}, Monit ${m.toFixed(1)} ms/s: ${(w / m).toFixed(2)}x\n`);
}
