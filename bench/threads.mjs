#!/usr/bin/env node
// CPU per thread of a running warden on one scenario's control file: which threads cost what
// (the main thread, libuv's pool, V8's GC and compiler threads), read from
// /proc/PID/task/*/schedstat over a window after the start-up.
//   node bench/threads.mjs file-stat 100 [--settle 5] [--seconds 10] [--variant paranoid] [-- extra node flags]
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cycleScenario, withScenarioDaemon } from './lib/scenario-daemon.mjs';
import { sleep } from './lib/stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { settle: { type: 'string', default: '5' }, seconds: { type: 'string', default: '10' }, variant: { type: 'string' } },
});
const [name, nText, ...nodeFlags] = positionals;
const scenario = cycleScenario(name);
if (!scenario) {
  process.stderr.write('usage: node bench/threads.mjs <cycle scenario> <N> [--settle S] [--seconds S] [-- node flags]\n');
  process.exit(2);
}

/** Nanoseconds run per thread, by "tid comm". */
function threads(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(`${tid} ${comm}`, ns);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

await withScenarioDaemon(scenario, Number(nText) || 100, () => nodeFlags, async (child) => {
  await sleep(Number(values.settle) * 1000);
  const before = threads(child.pid);
  const t0 = performance.now();
  await sleep(Number(values.seconds) * 1000);
  const after = threads(child.pid);
  const seconds = (performance.now() - t0) / 1000;
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  let total = 0;
  const rows = [];
  for (const [k, ns] of after) {
    const ms = (ns - (before.get(k) ?? 0)) / 1e6 / seconds;
    total += ms;
    if (ms >= 0.05) rows.push([k, ms]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  process.stdout.write(`${scenario.name} N=${nText}: ${total.toFixed(2)} ms CPU per second over ${seconds.toFixed(1)} s, RSS ${(Number(rss) / 1024).toFixed(1)} MB\n`);
  for (const [k, ms] of rows) process.stdout.write(`${ms.toFixed(2).padStart(9)} ms/s  ${k}\n`);
}, 'warden', values.variant);
