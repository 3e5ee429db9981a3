import { readFileSync, readdirSync } from 'node:fs';
import { cycleScenario, withScenarioDaemon } from './lib/scenario-daemon.mjs';
import { sleep } from './lib/stats.mjs';
const [name, n, secs, step, ...flags] = process.argv.slice(2);
const cpu = (pid) => readdirSync(`/proc/${pid}/task`).reduce((s, t) => { try { return s + Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch { return s; } }, 0);
await withScenarioDaemon(cycleScenario(name), Number(n), () => flags, async (child) => {
  const out = [];
  let prev = 0, t0 = performance.now(), prevT = t0;
  for (let i = 0; i * Number(step) < Number(secs); i++) {
    await sleep(Number(step) * 1000);
    const c = cpu(child.pid), t = performance.now();
    out.push(((c - prev) / 1e6 / ((t - prevT) / 1000)).toFixed(1));
    prev = c; prevT = t;
  }
  console.log(`${name} ${n} ${flags.join(' ')}: ms/s per ${step}s: ${out.join(' ')}`);
});
