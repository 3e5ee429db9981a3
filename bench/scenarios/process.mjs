// `check process … with pidfile` over N real sleeping processes the bench starts (one bash
// that forks N `sleep`s and writes their pidfiles, then waits so it reaps them), ended by pid.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, killPids } from '../lib/proc.mjs';
import { sleep } from '../lib/stats.mjs';

/** Start N sleepers with pidfiles `dir/pids/pI.pid`; resolves with their pids and a stop(). */
export async function startSleepers(dir, n) {
  const folder = join(dir, 'pids');
  mkdirSync(folder, { recursive: true });
  const script = `for i in $(seq 0 ${n - 1}); do /bin/sleep 100000 & echo $! > ${folder}/p$i.pid; done; echo ready; wait`;
  const shell = spawn('/bin/bash', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve, reject) => {
    shell.stdout.on('data', (d) => String(d).includes('ready') && resolve());
    shell.once('exit', (code) => reject(new Error(`sleeper shell exited (${code})`)));
  });
  const pids = [];
  for (let i = 0; i < n; i++) {
    const p = join(folder, `p${i}.pid`);
    for (let k = 0; k < 100 && !existsSync(p); k++) await sleep(10);
    pids.push(Number(readFileSync(p, 'utf8')));
  }
  return {
    folder,
    pids,
    async stop() {
      await killPids(pids);
      if (alive(shell.pid)) await killPids([shell.pid]);
    },
  };
}

/** N × `check process pI with pidfile …` (+ a cpu test), all running. */
export const processPidfile = {
  name: 'process',
  title: 'check process … with pidfile (N sleeping processes)',
  kind: 'cycle',
  family: 'process',
  sizes: { full: [100, 1000, 5000], quick: [100] },
  requires: ['service-type:process'],
  async setup(dir, n) {
    const sleepers = await startSleepers(dir, n);
    const body = [];
    for (let i = 0; i < n; i++) {
      body.push(`check process p${i} with pidfile ${join(sleepers.folder, `p${i}.pid`)}`, '  if cpu > 95% for 3 cycles then alert', '');
    }
    return { body, cleanup: () => sleepers.stop() };
  },
};

/**
 * 100 × `check process` among 5000 running processes: Monit rescans the whole process table
 * every cycle (issue 4: 275 ms for 100 checks among 5000), warden reads only the pids it checks,
 * so its cost must follow the checks, not the processes running.
 */
export const processFew = {
  name: 'process-few',
  title: 'check process … with pidfile: 100 checks among 5000 sleeping processes',
  kind: 'cycle',
  family: 'process-few',
  fixedSize: true,
  sizes: { full: [100], quick: [100] },
  requires: ['service-type:process'],
  async setup(dir, n) {
    const running = 5000;
    const sleepers = await startSleepers(dir, running);
    const body = [];
    for (let i = 0; i < n; i++) {
      body.push(`check process p${i} with pidfile ${join(sleepers.folder, `p${i * (running / n)}.pid`)}`, '  if cpu > 95% for 3 cycles then alert', '');
    }
    return { body, note: `${running} processes running`, cleanup: () => sleepers.stop() };
  },
};
