#!/usr/bin/env node
// Profile warden on one scenario's control file: runs `node --cpu-prof core/bin/warden.js
// -I -c F` for a few seconds, then prints the top frames by self time (whole run, and the
// steady cycles after start-up when --skip-ms is given). Not part of `npm run bench`.
//
//   node bench/profile.mjs file-checksum 1000 [--seconds 8] [--from MS] [--top 25] [--keep out.cpuprofile] [--variant paranoid]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cycleScenario, withScenarioDaemon } from './lib/scenario-daemon.mjs';
import { sleep } from './lib/stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { keep: { type: 'string' }, seconds: { type: 'string', default: '8' }, top: { type: 'string', default: '25' }, from: { type: 'string', default: '0' }, variant: { type: 'string' } },
});
const [name, nText] = positionals;
const scenario = cycleScenario(name);
if (!scenario) {
  process.stderr.write('usage: node bench/profile.mjs <cycle scenario> <N> [--seconds S] [--from MS] [--top K]\n');
  process.exit(2);
}
await withScenarioDaemon(scenario, Number(nText) || 100, (dir) => ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'prof')}`], async (child, dir) => {
  await sleep(Number(values.seconds) * 1000);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  const profDir = join(dir, 'prof');
  const profText = readFileSync(join(profDir, readdirSync(profDir)[0]), 'utf8');
  if (values.keep) writeFileSync(values.keep, profText); // for Chrome DevTools or a caller analysis
  const prof = JSON.parse(profText);
  const from = prof.startTime + Number(values.from) * 1000; // µs
  const self = new Map();
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  let t = prof.startTime;
  let total = 0;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i];
    if (t < from) return;
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^file:\/\/.*?\/(core|plugins|sdk|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (prof.timeDeltas[i + 1] ?? 0));
    total += prof.timeDeltas[i + 1] ?? 0;
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  process.stdout.write(`${scenario.name} N=${nText}: ${(total / 1000).toFixed(0)} ms sampled from ${values.from} ms\n`);
  for (const [k, us] of top) process.stdout.write(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}\n`);
}, 'warden', values.variant);
