#!/usr/bin/env node
// Soak: does warden's memory (or fds, threads) grow over a long run? One control file with a
// realistic mix of services, churn (a monitored process killed and a checksummed file changed
// every minute, so events, alerts and restarts happen), a scraper hitting `/_status?format=xml`
// and `/metrics` as a monitoring stack would, and /proc samples of warden alone.
//   node bench/soak.mjs [--minutes 30] [--services 1000] [--sample 30] [--scrape 5] [-- node flags]
// --snapshot-at 2,12 (minutes) runs warden with --heapsnapshot-signal=SIGUSR2 and keeps a heap
// snapshot taken at each of those times in bench/results/ (each pauses warden: not for a
// measured run, for finding what grows).
// --analyze FILE judges a saved report (bench/results/soak-*.json) again with this script's rule.
// See the "Soak" section of bench/README.md for the verdict's rule.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setTimeout as wait } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort } from './lib/cycle.mjs';
import { daemonOutput, writeControl } from './lib/daemon.mjs';
import { alive, cpuOf, killPids, memOf, stopChild } from './lib/proc.mjs';
import { Sentinels } from './lib/sentinel.mjs';
import { fmt, median, row, sleep } from './lib/stats.mjs';
import { startSleepers } from './scenarios/process.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals: nodeFlags } = parseArgs({
  allowPositionals: true,
  options: {
    minutes: { type: 'string', default: '30' },
    services: { type: 'string', default: '1000' },
    sample: { type: 'string', default: '30' },
    scrape: { type: 'string', default: '5' },
    churn: { type: 'string', default: '60' },
    bin: { type: 'string', default: join(root, 'core/bin/warden.js') },
    'snapshot-at': { type: 'string' },
    analyze: { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const services = Number(values.services);
const sampleMs = Number(values.sample) * 1000;
const scrapeMs = Number(values.scrape) * 1000;
const churnMs = Number(values.churn) * 1000;
const snapshotAt = values['snapshot-at'] ? values['snapshot-at'].split(',').map(Number) : [];
if (snapshotAt.length) nodeFlags.push('--heapsnapshot-signal=SIGUSR2');
if (!values.analyze && (!(minutes > 0) || !(services >= 20) || !(sampleMs > 0) || !(scrapeMs > 0) || !(churnMs > 0))) {
  process.stderr.write('usage: node bench/soak.mjs [--minutes 30] [--services ≥ 20] [--sample S] [--scrape S] [--churn S] [--bin warden.js] [-- node flags] | --analyze FILE\n');
  process.exit(2);
}

// Memory (RSS, heap), judged on the dense per-scrape series, by its floor: the lowest value in
// each window of FLOOR_WINDOW_S (a quarter of the run when shorter), what is left once V8 has
// collected. Garbage waiting for a mark-compact raises only the peaks (V8 may let the old space
// fill for minutes), a leak raises the floor. "no growth" when the last whole window's floor is
// ≤ FLOOR_RATIO × the second window's (the first holds start-up), "GROWS" otherwise. The
// least-squares slope over the second half and the quarter medians are printed too, for
// information: they follow the sawtooth of the heap and cannot tell garbage from a leak.
// Fds and threads: last-quarter median ≤ first-quarter median + FLAT_SLACK (sockets and pool
// threads come and go in a cycle).
const FLOOR_WINDOW_S = 300;
const FLOOR_RATIO = 1.05;
const FLAT_SLACK = { fds: 3, threads: 1 };

// ---------------------------------------------------------------- clean-up, also on Ctrl-C

const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`clean-up: ${err.message}\n`);
      }
    }
  })();
  return cleaning;
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${sig}: stopping, cleaning up\n`);
    cleanup().then(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- the monitored world

/** The mix: 40 %+ files (the rest), 30 % processes, 20 % hosts, a few filesystems, one system. */
function mix(n) {
  const processes = Math.round(0.3 * n);
  const hosts = Math.round(0.2 * n);
  const filesystems = Math.min(10, Math.max(2, Math.round(0.01 * n)));
  return { processes, hosts, filesystems, system: 1, files: n - processes - hosts - filesystems - 1 };
}

/** Files; every third one has `if changed checksum` (the churn rewrites those), the others timestamp or size. */
function fileServices(dir, n) {
  const folder = join(dir, 'files');
  mkdirSync(folder, { recursive: true });
  const body = [];
  const checksummed = [];
  for (let i = 0; i < n; i++) {
    const p = join(folder, `f${i}`);
    writeFileSync(p, randomBytes(4096));
    body.push(`check file f${i} with path ${p}`);
    if (i % 3 === 0) {
      body.push('  if changed checksum then alert');
      checksummed.push(p);
    } else if (i % 3 === 1) body.push('  if changed timestamp then alert');
    else body.push('  if size > 1 MB then alert');
    body.push('');
  }
  return { body, checksummed };
}

/** Processes by pidfile over real sleepers; `start program` setsid's a new sleeper and rewrites the pidfile. */
async function processServices(dir, n) {
  const sleepers = await startSleepers(dir, n);
  const start = join(dir, 'start.sh');
  writeFileSync(start, `#!/bin/sh\nsetsid /bin/sleep 100000 </dev/null >/dev/null 2>&1 &\necho $! > ${sleepers.folder}/$1.pid\n`);
  chmodSync(start, 0o755);
  const pidfile = (i) => join(sleepers.folder, `p${i}.pid`);
  const body = [];
  for (let i = 0; i < n; i++) {
    body.push(`check process p${i} with pidfile ${pidfile(i)}`, `  start program = "${start} p${i}" with timeout 10 seconds`, '  if cpu > 95% for 3 cycles then alert', '');
  }
  // the sleepers the start program made (setsid: no longer the sleeper shell's children)
  const current = () => Array.from({ length: n }, (_, i) => readPid(pidfile(i))).filter((p) => p && alive(p));
  return { body, pidfile, stop: async () => { await killPids(current()); await sleepers.stop(); } };
}

function readPid(file) {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP peer (bench/lib/http-server.mjs, its own process); resolves with its port and child. */
async function startHttpServer() {
  const server = spawn(process.execPath, [join(root, 'bench/lib/http-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => stopChild(server));
  const port = await new Promise((resolve, reject) => {
    server.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    server.once('exit', (code) => reject(new Error(`http server exited (${code})`)));
  });
  return port;
}

function hostServices(n, port) {
  const body = [];
  for (let i = 0; i < n; i++) body.push(`check host h${i} with address 127.0.0.1`, `  if failed port ${port} protocol http request "/health" then alert`, '');
  return body;
}

function filesystemServices(n) {
  // mount points only: a directory inside a filesystem is an error for warden
  const mounts = ['/', '/dev/shm'].filter((m) => existsSync(m));
  const body = [];
  for (let i = 0; i < n; i++) body.push(`check filesystem fs${i} with path ${mounts[i % mounts.length]}`, '  if space usage > 99% then alert', '  if inode usage > 99% then alert', '');
  return body;
}

const SYSTEM = ['check system soak_system', '  if loadavg (1min) > 50 then alert', '  if cpu usage (user) > 99% for 5 cycles then alert', '  if memory usage > 99% then alert', ''];

// ---------------------------------------------------------------- probes

/** GET `path` on the daemon's httpd: { ms, bytes, status, body } or { error }. */
function get(port, path) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ ms: performance.now() - t0, bytes: body.length, status: res.statusCode, body });
      });
    });
    req.on('error', (err) => resolve({ error: err.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** A gauge's value from a Prometheus text exposition. */
function gauge(text, name) {
  const m = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Open fds and threads of `pid`. */
function counts(pid) {
  try {
    return { fds: readdirSync(`/proc/${pid}/fd`).length, threads: readdirSync(`/proc/${pid}/task`).length };
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------- analysis

/** Least-squares slope of y over x, and its standard error. */
function slope(points) {
  const n = points.length;
  if (n < 3) return {};
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  const b = sxy / sxx;
  const sse = points.reduce((s, p) => s + (p.y - my - b * (p.x - mx)) ** 2, 0);
  return { slope: b, stderr: Math.sqrt(sse / (n - 2) / sxx) };
}

/** Growth of `field` (per-sample value in MB or a count): second-half slope per hour, quarter medians. */
function growth(samples, field, durationS) {
  const pts = samples.filter((s) => Number.isFinite(s[field]) && s.t >= durationS / 2).map((s) => ({ x: s.t / 3600, y: s[field] }));
  const { slope: perHour, stderr } = slope(pts);
  const q1 = median(samples.filter((s) => s.t <= durationS / 4).map((s) => s[field]));
  const q4 = median(samples.filter((s) => s.t >= (3 * durationS) / 4).map((s) => s[field]));
  return { perHour, stderr, firstQuarterMedian: q1, lastQuarterMedian: q4, points: pts.length };
}

/** The floor of `field` in each whole window (see FLOOR_WINDOW_S), and the two compared. */
function floorGrowth(series, field, durationS) {
  const windowS = Math.min(FLOOR_WINDOW_S, durationS / 4);
  const floors = [];
  for (const s of series) {
    if (!Number.isFinite(s[field]) || s.t >= Math.floor(durationS / windowS) * windowS) continue;
    const k = Math.floor(s.t / windowS);
    floors[k] = Math.min(floors[k] ?? Infinity, s[field]);
  }
  const whole = Array.from(floors, (f) => f ?? null);
  return { windowS, floors: whole, first: whole[1] ?? undefined, last: whole.length > 2 ? whole.at(-1) ?? undefined : undefined };
}

function memoryVerdict(f) {
  if (f.first == null || f.last == null) return 'too few samples';
  return f.last <= f.first * FLOOR_RATIO ? 'no growth' : 'GROWS';
}

function flatVerdict(g, slack) {
  if (g.firstQuarterMedian === undefined || g.lastQuarterMedian === undefined) return 'too few samples';
  return g.lastQuarterMedian <= g.firstQuarterMedian + slack ? 'flat' : 'GROWS';
}

// ---------------------------------------------------------------- the run

const out = (line = '') => process.stdout.write(`${line}\n`);
// `node bench/soak.mjs … | head`: a closed pipe must not end the script before its clean-up.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
});
try {
  if (values.analyze) analyze(values.analyze);
  else await main();
} catch (err) {
  process.stderr.write(`soak: ${err.stack ?? err}\n`);
  await cleanup();
  process.exit(1);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'warden-soak-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const sentinels = await new Sentinels().start();
  cleanups.push(() => sentinels.close());

  const shape = mix(services);
  const files = fileServices(dir, shape.files);
  const procs = await processServices(dir, shape.processes);
  cleanups.push(() => procs.stop());
  const httpPeer = await startHttpServer();
  const httpPort = await freePort();
  const body = [...files.body, ...procs.body, ...hostServices(shape.hosts, httpPeer), ...filesystemServices(shape.filesystems), ...SYSTEM];
  const { file, run } = writeControl(dir, { interval: 1, httpPort, sentinels, body });
  mkdirSync(run, { recursive: true });

  const outFd = openSync(join(run, 'out'), 'w');
  const argv = [...nodeFlags, values.bin, '-I', '-c', file];
  const t0 = performance.now();
  const warden = spawn(process.execPath, argv, { cwd: run, stdio: ['ignore', outFd, outFd], env: { ...process.env, NO_COLOR: '1' } });
  closeSync(outFd);
  cleanups.push(() => stopChild(warden));
  let exited;
  warden.once('exit', (code, sig) => (exited = `warden exited (${code ?? sig}):\n${daemonOutput(run)}`));
  const elapsedS = () => (performance.now() - t0) / 1000;

  out(`soak: node ${argv.join(' ')}`);
  out(`${services} services: ${shape.files} files (${files.checksummed.length} checksum), ${shape.processes} processes, ${shape.hosts} hosts, ${shape.filesystems} filesystems, 1 system; set daemon 1`);
  out(`${minutes} min, a sample every ${values.sample} s, /_status?format=xml + /metrics every ${values.scrape} s, churn every ${values.churn} s; warden pid ${warden.pid}; ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);

  // the scraper: what a monitoring stack does; its last /metrics gives the heap
  const scrape = { count: 0, errors: 0, xmlMs: [], metricsMs: [], heapUsed: undefined, heapTotal: undefined, external: undefined, lastError: undefined, heap: [] };
  let stopping = false;
  const stopped = new AbortController();
  /** sleep(ms), cut short when the run stops. */
  const nap = (ms) => wait(ms, undefined, { signal: stopped.signal }).catch(() => {});
  const scraper = (async () => {
    while (!stopping && !exited) {
      await nap(scrapeMs);
      if (stopping || exited) break;
      const xml = await get(httpPort, '/_status?format=xml');
      const metrics = await get(httpPort, '/metrics');
      scrape.count++;
      for (const [r, ms] of [[xml, scrape.xmlMs], [metrics, scrape.metricsMs]]) {
        if (r.error || r.status !== 200) {
          scrape.errors++;
          scrape.lastError = r.error ?? `HTTP ${r.status}`;
        } else ms.push(r.ms);
      }
      if (metrics.body) {
        scrape.heapUsed = gauge(metrics.body, 'warden_process_nodejs_heap_size_used_bytes');
        scrape.heapTotal = gauge(metrics.body, 'warden_process_nodejs_heap_size_total_bytes');
        scrape.external = gauge(metrics.body, 'warden_process_nodejs_external_memory_bytes');
      // RSS and the heap swing with V8's heap sizing: their growth is judged on every scrape
      if (scrape.heapUsed !== undefined) scrape.heap.push({ t: elapsedS(), heapUsedMb: scrape.heapUsed / 2 ** 20, rssMb: memOf(warden.pid)?.rssKb / 1024 });
      }
    }
  })();

  // the churn: kill -9 one monitored process (its start program restarts it), change one checksummed file
  const churn = { kills: 0, restarted: 0, notRestarted: [], rewrites: 0 };
  let pendingVictim;
  /** Was the last victim restarted? (waits up to `waitMs`: the run may end just after a kill) */
  async function checkVictim(waitMs = 0) {
    if (!pendingVictim) return;
    const restarted = () => {
      const pid = readPid(procs.pidfile(pendingVictim.i));
      return pid && pid !== pendingVictim.pid && alive(pid);
    };
    for (let i = 0; i < waitMs / 100 && !restarted(); i++) await sleep(100);
    if (restarted()) churn.restarted++;
    else churn.notRestarted.push(`p${pendingVictim.i}`);
    pendingVictim = undefined;
  }
  const churner = (async () => {
    for (let k = 0; !stopping && !exited; k++) {
      await nap(churnMs);
      if (stopping || exited) break;
      await checkVictim();
      const i = k % shape.processes;
      const pid = readPid(procs.pidfile(i));
      if (pid && alive(pid)) {
        process.kill(pid, 'SIGKILL');
        churn.kills++;
        pendingVictim = { i, pid };
      }
      if (files.checksummed.length) {
        writeFileSync(files.checksummed[k % files.checksummed.length], randomBytes(4096));
        churn.rewrites++;
      }
    }
  })();

  // heap snapshots (--snapshot-at): SIGUSR2, then wait until the new file stops growing
  const snapshots = [];
  const snapshotter = (async () => {
    for (const m of snapshotAt) {
      while (elapsedS() < m * 60 && !stopping && !exited) await nap(500);
      if (stopping || exited) break;
      const before = new Set(readdirSync(run).filter((f) => f.endsWith('.heapsnapshot')));
      process.kill(warden.pid, 'SIGUSR2');
      let size = -1;
      for (let i = 0; i < 240; i++) {
        await sleep(1000);
        const made = readdirSync(run).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
        const now = made ? statSync(join(run, made)).size : -1;
        if (made && now > 0 && now === size) {
          const kept = join(root, 'bench/results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}-${m}min.heapsnapshot`);
          mkdirSync(dirname(kept), { recursive: true });
          renameSync(join(run, made), kept);
          snapshots.push(kept);
          out(`heap snapshot at ${fmt(elapsedS(), 0)} s: ${kept}`);
          break;
        }
        size = now;
      }
    }
  })();

  // the samples
  const samples = [];
  const widths = [7, 7, 7, 8, 9, 9, 5, 8, 8, 7, 10];
  const header = ['t s', 'RSS MB', 'HWM MB', 'heap MB', 'heapT MB', 'ext MB', 'fds', 'threads', 'CPU ms/s', 'cycles', 'log kB'];
  let prev = { t: 0, cpu: { ns: 0, ticksMs: 0 }, cycles: 0 };
  const durationS = minutes * 60;
  try {
    out();
    out(row(header, widths));
    for (let k = 1; k * sampleMs <= durationS * 1000; k++) {
      while (elapsedS() < (k * sampleMs) / 1000 && !exited && !interrupted) await sleep(Math.min(500, sampleMs));
      if (exited) throw new Error(exited);
      if (interrupted) break;
      const t = elapsedS();
      const cpu = cpuOf(warden.pid);
      const mem = memOf(warden.pid);
      const cycles = sentinels.last.length;
      const logPath = join(run, 'daemon.log');
      const s = {
        t,
        rssMb: mem.rssKb / 1024,
        hwmMb: mem.hwmKb / 1024,
        heapUsedMb: scrape.heapUsed === undefined ? undefined : scrape.heapUsed / 2 ** 20,
        heapTotalMb: scrape.heapTotal === undefined ? undefined : scrape.heapTotal / 2 ** 20,
        externalMb: scrape.external === undefined ? undefined : scrape.external / 2 ** 20,
        ...counts(warden.pid),
        cpuMsPerS: (cpu.ns - prev.cpu.ns) / 1e6 / (t - prev.t),
        cpuTicksMsPerS: (cpu.ticksMs - prev.cpu.ticksMs) / (t - prev.t),
        cycles: cycles - prev.cycles,
        logKb: existsSync(logPath) ? statSync(logPath).size / 1024 : 0,
      };
      samples.push(s);
      prev = { t, cpu, cycles };
      out(row([fmt(s.t, 0), fmt(s.rssMb), fmt(s.hwmMb), fmt(s.heapUsedMb), fmt(s.heapTotalMb), fmt(s.externalMb), s.fds, s.threads, fmt(s.cpuMsPerS), s.cycles, fmt(s.logKb, 0)], widths));
    }
    stopping = true;
    stopped.abort();
    await checkVictim(10_000);
  } finally {
    stopping = true;
    stopped.abort();
  }
  // a scrape or a snapshot in flight ends within its own bound (10 s, 240 s)
  await Promise.all([scraper, churner, snapshotter]);

  // ---------------------------------------------------------------- report

  // the first sample holds start-up's CPU (the first hash of every file): out of the CPU median
  const ranS = samples.at(-1)?.t ?? 0;
  const report = {
    date: new Date().toISOString(),
    argv: process.argv.slice(2),
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    services,
    shape,
    minutes,
    ranSeconds: ranS,
    interrupted,
    cpuMsPerSMedian: median(samples.slice(1).map((s) => s.cpuMsPerS)),
    cyclesPerSecond: samples.length > 1 ? samples.slice(1).reduce((a, s) => a + s.cycles, 0) / (ranS - samples[0].t) : undefined,
    scrape: { heapSeries: scrape.heap, count: scrape.count, errors: scrape.errors, lastError: scrape.lastError, xmlMsMedian: median(scrape.xmlMs), metricsMsMedian: median(scrape.metricsMs) },
    churn,
    snapshots,
    samples,
  };
  judge(report);

  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const resultFile = join(root, 'bench/results', `soak-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  out(`results: ${resultFile}`);
  await cleanup();
}

/** Growth figures and verdicts of a report (a run just ended, or one read with --analyze), printed. */
function judge(report) {
  const ranS = report.ranSeconds;
  const heap = report.scrape.heapSeries;
  const samples = report.samples;
  report.rule = { floorWindowS: FLOOR_WINDOW_S, floorRatio: FLOOR_RATIO, flatSlack: FLAT_SLACK };
  report.growth = {
    rssMb: growth(heap, 'rssMb', ranS),
    heapUsedMb: growth(heap, 'heapUsedMb', ranS),
    externalMb: growth(samples, 'externalMb', ranS),
    fds: growth(samples, 'fds', ranS),
    threads: growth(samples, 'threads', ranS),
  };
  report.floors = { rssMb: floorGrowth(heap, 'rssMb', ranS), heapUsedMb: floorGrowth(heap, 'heapUsedMb', ranS) };
  report.verdict = {
    rss: memoryVerdict(report.floors.rssMb),
    heap: memoryVerdict(report.floors.heapUsedMb),
    fds: flatVerdict(report.growth.fds, FLAT_SLACK.fds),
    threads: flatVerdict(report.growth.threads, FLAT_SLACK.threads),
  };
  const verdicts = Object.values(report.verdict);
  if (verdicts.includes('GROWS')) report.verdict.overall = 'growth (see the rows marked GROWS)';
  else if (verdicts.every((v) => v === 'no growth' || v === 'flat')) report.verdict.overall = 'no growth';
  else report.verdict.overall = 'inconclusive (see the rows)';

  out();
  const g = report.growth;
  const line = (name, x, unit, verdict) =>
    out(`${name.padEnd(8)} slope ${fmt(x.perHour, 2).padStart(7)} ± ${fmt(x.stderr, 2)} ${unit}/h over the 2nd half (${x.points} samples); median 1st quarter ${fmt(x.firstQuarterMedian)} → last ${fmt(x.lastQuarterMedian)}  ${verdict ?? ''}`);
  const floorLine = (name, f, verdict) =>
    out(`${name.padEnd(8)} floor per ${fmt(f.windowS, 0)} s: ${f.floors.map((v) => fmt(v)).join(' ')} MB; window 2 → last ${fmt(f.first)} → ${fmt(f.last)}  ${verdict}`);
  floorLine('RSS', report.floors.rssMb, report.verdict.rss);
  floorLine('heap', report.floors.heapUsedMb, report.verdict.heap);
  line('RSS', g.rssMb, 'MB');
  line('heap', g.heapUsedMb, 'MB');
  line('external', g.externalMb, 'MB');
  line('fds', g.fds, '', report.verdict.fds);
  line('threads', g.threads, '', report.verdict.threads);
  const first = samples[0];
  const last = samples.at(-1);
  out(`RSS ${fmt(first?.rssMb)} MB at ${fmt(first?.t, 0)} s → ${fmt(last?.rssMb)} MB at ${fmt(last?.t, 0)} s, peak ${fmt(last?.hwmMb)} MB; CPU ${fmt(report.cpuMsPerSMedian)} ms/s (median, first sample left out); ${fmt(report.cyclesPerSecond, 2)} cycles/s`);
  const scrape = report.scrape;
  out(`scrapes ${scrape.count} (errors ${scrape.errors}${scrape.lastError ? `: ${scrape.lastError}` : ''}), median /_status?format=xml ${fmt(scrape.xmlMsMedian)} ms, /metrics ${fmt(scrape.metricsMsMedian)} ms`);
  const churn = report.churn;
  out(`churn: ${churn.kills} kill -9 (${churn.restarted} restarted${churn.notRestarted.length ? `, not restarted: ${churn.notRestarted.join(' ')}` : ''}), ${churn.rewrites} checksum changes`);
  if (ranS < 20 * 60) out(`note: ${fmt(ranS / 60, 1)} min: a leak of less than ${Math.round((FLOOR_RATIO - 1) * 100)} % of the floor over the run passes unseen; the issue's soak is 30 min`);
  out(`verdict: ${report.verdict.overall}`);
}

/** --analyze FILE: a saved report judged again (its figures as measured, this script's rule). */
function analyze(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  out(`${file}: ${report.services} services, ${fmt(report.ranSeconds / 60, 1)} min, ${report.date}`);
  judge(report);
}
