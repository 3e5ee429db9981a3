#!/usr/bin/env node
// Process checks, warden vs Monit 5.33 (never both at once):
//  1. restart latency: kill -9 a daemonizing pidfile process, time until its new pid runs,
//     at `set daemon 1` and `set daemon 10`;
//  2. CPU per cycle of 100 and 5000 pidfile checks among 5000 sleeping processes.
//
//   node plugins/process/bench/restart-latency.mjs [--samples 15] [--monit-samples 5] [--cpu-seconds 20]
//     [--skip-cpu] [--skip-latency] [--only warden|monit] [--checks 100,5000]
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WARDEN = join(root, 'core', 'bin', 'warden.js');
const { values: opt } = parseArgs({
  options: {
    samples: { type: 'string', default: '15' },
    'monit-samples': { type: 'string', default: '5' },
    'cpu-seconds': { type: 'string', default: '20' },
    'skip-cpu': { type: 'boolean', default: false },
    'skip-latency': { type: 'boolean', default: false },
    only: { type: 'string' },
    checks: { type: 'string', default: '100,5000' },
  },
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'warden-bench-process-'));
const killGroup = (pid) => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } };
const pidIn = (f) => { try { const p = Number(readFileSync(f, 'utf8').trim()); return p > 0 ? p : undefined; } catch { return undefined; } };
const runs = (pid) => { try { const s = readFileSync(`/proc/${pid}/stat`, 'latin1'); return s.charAt(s.lastIndexOf(')') + 2) !== 'Z'; } catch { return false; } };
const cpuMs = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'latin1').slice(readFileSync(`/proc/${pid}/stat`, 'latin1').lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10; };
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { n: s.length, median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] }; };

function controlFile(name, interval, lines) {
  const file = join(dir, `${name}.rc`);
  writeFileSync(file, [`set daemon ${interval}`, `set log ${join(dir, `${name}.log`)}`, `set pidfile ${join(dir, `${name}.pid`)}`, `set idfile ${join(dir, `${name}.id`)}`, `set statefile ${join(dir, `${name}.state`)}`, ...lines, ''].join('\n'));
  chmodSync(file, 0o600);
  return file;
}

function startDaemon(which, file) {
  const child = which === 'warden'
    ? spawn(process.execPath, [WARDEN, '-I', '-c', file], { stdio: 'ignore' })
    : spawn('monit', ['-I', '-c', file], { stdio: 'ignore' });
  return child;
}

async function stopDaemon(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  for (let i = 0; i < 100 && child.exitCode === null; i++) await sleep(50);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** kill -9 the service `samples` times; ms from the kill to its new pid running. */
async function latency(which, interval, samples) {
  const svc = join(dir, 'svc.sh');
  const pidfile = join(dir, 'svc.pidfile');
  const start = join(dir, 'start.sh');
  writeFileSync(svc, `#!/bin/sh\necho $$ > ${pidfile}\nexec sleep 100000\n`);
  writeFileSync(start, `#!/bin/sh\nsetsid ${svc} >/dev/null 2>&1 </dev/null &\n`);
  chmodSync(svc, 0o755);
  chmodSync(start, 0o755);
  rmSync(pidfile, { force: true });
  const file = controlFile(`${which}-lat`, interval, [`check process svc with pidfile ${pidfile}`, `  start program = "${start}" with timeout 30 seconds`]);
  const daemon = startDaemon(which, file);
  const out = [];
  const seen = new Set();
  try {
    for (let i = 0; i < 40_000 && !runs(pidIn(pidfile)); i++) await sleep(5);
    await sleep(interval * 1000 + 500); // let the first restart settle (Monit confirms on the next cycle)
    for (let k = 0; k < samples; k++) {
      const old = pidIn(pidfile);
      seen.add(old);
      const t0 = performance.now();
      process.kill(old, 'SIGKILL');
      let now;
      const limit = t0 + interval * 1000 * 3 + 15_000;
      for (;;) {
        const p = pidIn(pidfile);
        if (p !== undefined && p !== old && runs(p)) break;
        if (performance.now() > limit) throw new Error(`${which}: no restart within ${limit - t0} ms`);
        await sleep(2);
      }
      now = performance.now();
      out.push(now - t0);
      await sleep(which === 'warden' ? 300 : interval * 1000 + 200);
    }
  } finally {
    await stopDaemon(daemon);
    seen.add(pidIn(pidfile));
    for (const p of seen) if (p) killGroup(p);
  }
  return out;
}

/** CPU (ms) per cycle of `checks` pidfile checks among the sleepers, at `set daemon 1`. */
async function cpuPerCycle(which, checks, sleepers, seconds) {
  const lines = [];
  for (let i = 0; i < checks; i++) {
    const pf = join(dir, 'pids', `p${i}.pid`);
    lines.push(`check process p${i} with pidfile ${pf}`, '  if does not exist then alert');
  }
  const file = controlFile(`${which}-cpu${checks}`, 1, lines);
  const daemon = startDaemon(which, file);
  try {
    await sleep(4000); // start-up and the first cycles
    const c0 = cpuMs(daemon.pid);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const c1 = cpuMs(daemon.pid);
    const wall = (performance.now() - t0) / 1000;
    return { cpuMsPerSecond: (c1 - c0) / wall, cpuMsPerCycle: (c1 - c0) / wall };
  } finally {
    await stopDaemon(daemon);
  }
}

const report = { date: new Date().toISOString(), latency: {}, cpu: {} };
try {
  if (!opt['skip-latency']) {
    for (const interval of [1, 10]) {
      for (const which of ['warden', 'monit'].filter((w) => !opt.only || w === opt.only)) {
        const n = Number(which === 'warden' ? opt.samples : opt['monit-samples']);
        const xs = await latency(which, interval, n);
        report.latency[`${which}@${interval}s`] = { ...stats(xs), samples: xs.map((x) => Math.round(x)) };
        process.stdout.write(`restart latency ${which.padEnd(6)} set daemon ${String(interval).padEnd(2)}: median ${stats(xs).median.toFixed(0)} ms, min ${stats(xs).min.toFixed(0)}, max ${stats(xs).max.toFixed(0)} (n=${xs.length})\n`);
      }
    }
  }
  if (!opt['skip-cpu']) {
    const sleepers = 5000;
    const pids = join(dir, 'pids');
    spawnSync('mkdir', ['-p', pids]);
    const herd = spawn('/bin/sh', ['-c', `i=0; while [ $i -lt ${sleepers} ]; do sleep 100000 & i=$((i+1)); done; wait`], { stdio: 'ignore', detached: true });
    try {
      let kids = [];
      for (let i = 0; i < 600 && kids.length < sleepers; i++) {
        await sleep(100);
        kids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).filter((n) => { try { const s = readFileSync(`/proc/${n}/stat`, 'latin1'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === herd.pid; } catch { return false; } });
      }
      kids.slice(0, sleepers).forEach((pid, i) => writeFileSync(join(pids, `p${i}.pid`), `${pid}\n`));
      process.stdout.write(`${kids.length} sleeping processes\n`);
      for (const checks of opt.checks.split(',').map(Number)) {
        for (const which of ['warden', 'monit'].filter((w) => !opt.only || w === opt.only)) {
          const r = await cpuPerCycle(which, checks, sleepers, Number(opt['cpu-seconds']));
          report.cpu[`${which}@${checks}`] = r;
          process.stdout.write(`cpu per cycle ${which.padEnd(6)} ${String(checks).padStart(4)} checks: ${r.cpuMsPerCycle.toFixed(1)} ms (set daemon 1, ${sleepers} processes)\n`);
        }
        if (opt.only) continue;
        const ratio = report.cpu[`warden@${checks}`].cpuMsPerCycle / report.cpu[`monit@${checks}`].cpuMsPerCycle;
        report.cpu[`ratio@${checks}`] = ratio;
        process.stdout.write(`  warden/monit = ${ratio.toFixed(3)}\n`);
      }
    } finally {
      killGroup(herd.pid);
    }
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
