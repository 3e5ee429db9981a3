#!/usr/bin/env node
// warden supervising N idle jobs, the way pmtr-behaviour.md (d) measured pmtr: a pmtr.conf of
// N × `cmd /bin/sleep …` (distinct names), warden in the foreground under
// `prlimit --nofile=1024:1024` (the usual limit, soft = hard so Node cannot raise it), wait
// until all N run (children by ppid), then over a quiet window: VmRSS, VmHWM, CPU
// (utime+stime delta), open fds (a logged job stream is a libuv socketpair end: 2 a job). Then SIGTERM: every job must be gone, none left a zombie.
//
//   node plugins/supervisor/bench/scale.mjs [--quick] [--window S] [N…]
//   default N = 1 100 500 2000, window 30 s; --quick: N = 1 100, window 3 s
// `npm run bench` runs it too (bench/scenarios/jobs-idle.mjs imports idleJobs and idleJobsTable).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const NOFILE = 1024;
const CLK_TCK = 100; // getconf CLK_TCK on Linux
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};
/** Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime. */
const stat = (pid) => {
  const s = read(`/proc/${pid}/stat`);
  return s === undefined ? undefined : s.slice(s.lastIndexOf(')') + 2).split(' ');
};
const status = (pid, key) => Number(/(\d+) kB/.exec((read(`/proc/${pid}/status`) ?? '').split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? NaN);
const cpuTicks = (pid) => {
  const f = stat(pid);
  return f ? Number(f[11]) + Number(f[12]) : NaN;
};
const fds = (pid) => {
  let n = 0;
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    n++;
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed meanwhile
    }
  }
  return { n, sockets };
};
/** Processes whose ppid is `ppid`. */
const childrenOf = (ppid) => {
  const out = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const f = stat(e);
    if (f && Number(f[1]) === ppid) out.push(Number(e));
  }
  return out;
};
/** Processes (any parent) whose argv carries the marker, with their state. */
const marked = (marker) => {
  const out = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    if ((read(`/proc/${e}/cmdline`) ?? '').includes(marker)) out.push(Number(e));
  }
  return out;
};

/**
 * Run warden on a pmtr.conf of `n` idle jobs; the row of figures (see the table header).
 * `wardenBin` defaults to this checkout's core/bin/warden.js.
 */
export async function idleJobs(n, { windowS = 30, wardenBin = join(root, 'core', 'bin', 'warden.js') } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'warden-scale-'));
  const conf = join(dir, 'pmtr.conf');
  // A fractional sleep unique to this run: the argv marker that finds the jobs wherever they end up.
  const marker = `100000.${process.pid}${n}`;
  writeFileSync(conf, Array.from({ length: n }, (_, i) => `job {\n  name idle${i}\n  cmd /bin/sleep ${marker}\n}\n`).join(''));
  chmodSync(conf, 0o600);
  const t0 = performance.now();
  const warden = spawn('prlimit', [`--nofile=${NOFILE}:${NOFILE}`, process.execPath, wardenBin, '-I', '-c', conf, '-p', join(dir, 'pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tail = [];
  let lines = 0;
  const errors = [];
  let rest = '';
  warden.stderr.on('data', (d) => {
    const parts = (rest + d).split('\n');
    rest = parts.pop();
    for (const l of parts) {
      lines++;
      tail.push(l);
      if (tail.length > 20) tail.shift();
      if (/error|EMFILE|too many|cannot|can't/i.test(l) && errors.length < 10) errors.push(l);
    }
  });
  let exitCode;
  const exited = new Promise((r) => warden.on('exit', (code, sig) => r((exitCode = code ?? sig))));
  const row = { n, running: 0, startS: NaN, rssKb: NaN, hwmKb: NaN, cpuPct: NaN, fds: NaN, sockets: NaN, left: NaN, zombies: NaN, stopS: NaN, note: '' };
  try {
    // Bounded: 20 s plus 20 ms a job.
    const until = performance.now() + 20_000 + 20 * n;
    while (exitCode === undefined && performance.now() < until) {
      row.running = childrenOf(warden.pid).length;
      if (row.running >= n) break;
      await sleep(250);
    }
    if (row.running < n) {
      row.note = exitCode !== undefined ? `warden exited (${exitCode})` : `only ${row.running}/${n} started`;
    } else {
      row.startS = (performance.now() - t0) / 1000;
    }
    if (exitCode === undefined) {
      await sleep(2000); // let the start burst settle
      const c0 = cpuTicks(warden.pid);
      const w0 = performance.now();
      await sleep(windowS * 1000);
      const c1 = cpuTicks(warden.pid);
      row.cpuPct = ((c1 - c0) / CLK_TCK / ((performance.now() - w0) / 1000)) * 100;
      row.rssKb = status(warden.pid, 'VmRSS');
      row.hwmKb = status(warden.pid, 'VmHWM');
      ({ n: row.fds, sockets: row.sockets } = fds(warden.pid));
      row.running = childrenOf(warden.pid).length;
    }
    const jobs = marked(marker);
    const s0 = performance.now();
    warden.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000, undefined, { ref: false })]);
    row.stopS = (performance.now() - s0) / 1000;
    if (exitCode === undefined) row.note += ' warden did not exit in 30 s';
    await sleep(200);
    row.left = marked(marker).length;
    row.zombies = jobs.filter((p) => stat(p)?.[0] === 'Z').length;
  } finally {
    if (exitCode === undefined) warden.kill('SIGKILL');
    for (const p of marked(marker)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  if (errors.length > 0) row.note += ` first errors: ${errors.slice(0, 3).join(' | ')}`;
  if (row.note && exitCode !== 0) row.note += `\n  log tail (${lines} lines):\n    ${tail.join('\n    ')}`;
  return row;
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '—');

/** A row is good when every job ran, and none was left running or a zombie after SIGTERM. */
export const idleJobsGood = (r) => r.running >= r.n && r.left === 0 && r.zombies === 0;

/** The Markdown table (and a note line per troubled row) of `rows` from idleJobs. */
export function idleJobsTable(rows, windowS) {
  const lines = [
    `warden supervising N idle jobs, prlimit --nofile=${NOFILE}:${NOFILE}, CPU over ${windowS} s idle`,
    '| N | running | all up after s | VmRSS kB | VmHWM kB | CPU % (1 core) | fds (sockets) | SIGTERM → exit s | jobs left | zombies |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.n} | ${r.running} | ${fmt(r.startS, 2)} | ${fmt(r.rssKb)} | ${fmt(r.hwmKb)} | ${fmt(r.cpuPct, 3)} | ${fmt(r.fds)} (${fmt(r.sockets)}) | ${fmt(r.stopS, 2)} | ${fmt(r.left)} | ${fmt(r.zombies)} |`);
    if (r.note) lines.push(`  note N=${r.n}: ${r.note.trim()}`);
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wi = args.indexOf('--window');
  const windowS = wi >= 0 ? Number(args[wi + 1]) : quick ? 3 : 30;
  const listed = args.filter((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--window').map(Number);
  const sizes = listed.length > 0 ? listed : quick ? [1, 100] : [1, 100, 500, 2000];
  const rows = [];
  for (const n of sizes) rows.push(await idleJobs(n, { windowS }));
  for (const line of idleJobsTable(rows, windowS)) console.log(line);
  process.exitCode = rows.every(idleJobsGood) ? 0 : 1;
}
