#!/usr/bin/env node
// The HTTP interface: warden and Monit 5.33 side by side on one control file, then /metrics.
//
//   node bench/http-bench.mjs                        # N = 100 and 1000, 2 rounds × 10 s, then /metrics at 1000 and 10000
//   node bench/http-bench.mjs --seconds 5 --rounds 1 --sizes 100 --metrics 1000
//
// For each N it writes N real files and one control file (`check file fI with path …`,
// `set httpd … allow admin:"bench"`), runs `warden -I -c F` and `monit -I -c F` on it one
// after the other (alternating which goes first per round), waits until every service has
// been checked, then drives `GET /_status` (Monit's text) with wrk: C connections, T seconds,
// Basic auth. Monit answers HTTP/1.0 and closes every connection; warden is measured with
// keep-alive, with `Connection: close` (the like-for-like figure) and with
// `Accept-Encoding: gzip` (what browsers and `curl --compressed` send; Monit ignores it).
// /metrics is warden only: median and p95 of sequential scrapes. Needs `wrk` (Debian) and
// `monit`; build first (`npx tsc -b`). Results: bench/results/http-bench-<time>.json.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AUTH = `Basic ${Buffer.from('admin:bench').toString('base64')}`;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const SECONDS = Number(option('seconds', '10'));
const CONNECTIONS = Number(option('connections', '20'));
const ROUNDS = Number(option('rounds', '2'));
const SIZES = option('sizes', '100,1000').split(',').filter(Boolean).map(Number);
const METRIC_SIZES = option('metrics', '1000,10000').split(',').filter(Boolean).map(Number);
const INTERVAL = Number(option('interval', '5'));
const WARDEN = option('bin', join(ROOT, 'core', 'bin', 'warden.js'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** N real files and the control file both daemons read. */
function scenario(n, port) {
  const dir = mkdtempSync(join(tmpdir(), `warden-http-bench-${n}-`));
  mkdirSync(join(dir, 'files'));
  const run = join(dir, 'run');
  const lines = [
    `set daemon ${INTERVAL}`,
    `set log ${join(run, 'daemon.log')}`,
    `set pidfile ${join(run, 'daemon.pid')}`,
    `set idfile ${join(run, 'daemon.id')}`,
    `set statefile ${join(run, 'daemon.state')}`,
    `set httpd port ${port} and use address 127.0.0.1`,
    '  allow admin:"bench"',
  ];
  for (let i = 0; i < n; i++) {
    const path = join(dir, 'files', `f${i}`);
    writeFileSync(path, `file ${i}\n`);
    lines.push(`check file f${i} with path ${path}`, '  if does not exist then alert');
  }
  const file = join(dir, 'monitrc');
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(file, 0o600);
  return { dir, run, file, port };
}

async function get(port, path) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: AUTH }, signal: AbortSignal.timeout(5000) });
    return { status: res.status, text: await res.text() };
  } catch {
    return undefined;
  }
}

/** Start a daemon in the foreground and wait until every one of the `n` services has data. */
async function start(kind, sc, n) {
  rmSync(sc.run, { recursive: true, force: true });
  mkdirSync(sc.run);
  const argv = kind === 'warden' ? [process.execPath, WARDEN, '-I', '-c', sc.file] : ['monit', '-I', '-c', sc.file];
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore', env: { ...process.env, HOME: sc.dir } });
  const exited = new Promise((r) => child.on('exit', r));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const res = await get(sc.port, '/_status');
    if (res?.status === 200 && (res.text.match(/data collected/g) ?? []).length >= n) return { child, exited, bytes: Buffer.byteLength(res.text) };
    if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}`);
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${kind} did not check all ${n} services within 120 s`);
}

async function stop(d) {
  if (d.child.exitCode !== null || d.child.signalCode !== null) return;
  d.child.kill('SIGTERM');
  const timer = setTimeout(() => d.child.kill('SIGKILL'), 10_000);
  await d.exited;
  clearTimeout(timer);
}

const UNIT = { us: 0.001, ms: 1, s: 1000 };
/** wrk's requests/s, p50, p99 (ms) and non-2xx/socket errors. */
function wrk(port, { close = false, gzip = false } = {}) {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', '-H', `Authorization: ${AUTH}`];
  if (close) args.push('-H', 'Connection: close');
  if (gzip) args.push('-H', 'Accept-Encoding: gzip');
  const out = execFileSync('wrk', [...args, `http://127.0.0.1:${port}/_status`], { encoding: 'utf8', timeout: (SECONDS + 60) * 1000 });
  const pct = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(out);
    return m ? Number(m[1]) * UNIT[m[2]] : NaN;
  };
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: pct(50),
    p99: pct(99),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    ...(Number.isFinite(pct(99)) ? {} : { raw: out }),
    socketErrors: /Socket errors: (.*)/.exec(out)?.[1] ?? 'none',
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

async function statusBench() {
  const rows = [];
  for (const n of SIZES) {
    const sc = scenario(n, await freePort());
    const runs = { monit: [], warden: [], wardenClose: [], wardenGzip: [] };
    try {
      for (let r = 0; r < ROUNDS; r++) {
        for (const kind of r % 2 === 0 ? ['warden', 'monit'] : ['monit', 'warden']) {
          const d = await start(kind, sc, n);
          try {
            await sleep(1000);
            if (kind === 'warden') {
              runs.warden.push({ ...wrk(sc.port), bytes: d.bytes });
              runs.wardenClose.push({ ...wrk(sc.port, { close: true }), bytes: d.bytes });
              runs.wardenGzip.push({ ...wrk(sc.port, { gzip: true }), bytes: d.bytes });
            } else {
              // Monit answers HTTP/1.0, closes every connection and ignores Accept-Encoding.
              runs.monit.push({ ...wrk(sc.port), bytes: d.bytes });
            }
          } finally {
            await stop(d);
          }
        }
      }
    } finally {
      rmSync(sc.dir, { recursive: true, force: true });
    }
    const sum = (xs) => ({ rps: median(xs.map((x) => x.rps)), p50: median(xs.map((x) => x.p50)), p99: median(xs.map((x) => x.p99)), bytes: xs[0]?.bytes, non2xx: xs.reduce((a, x) => a + x.non2xx, 0) });
    const row = { n, monit: sum(runs.monit), warden: sum(runs.warden), wardenClose: sum(runs.wardenClose), wardenGzip: sum(runs.wardenGzip), runs };
    rows.push(row);
    console.log(
      `N=${n}: Monit ${f(row.monit.rps)} req/s p99 ${f(row.monit.p99)} ms (${row.monit.bytes} B) | ` +
        `warden keep-alive ${f(row.warden.rps)} req/s p99 ${f(row.warden.p99)} ms | close ${f(row.wardenClose.rps)} req/s p99 ${f(row.wardenClose.p99)} ms | ` +
        `gzip ${f(row.wardenGzip.rps)} req/s p99 ${f(row.wardenGzip.p99)} ms (${row.warden.bytes} B) | ratio ${f(row.warden.rps / row.monit.rps, 2)}× ` +
        `(close ${f(row.wardenClose.rps / row.monit.rps, 2)}×, gzip ${f(row.wardenGzip.rps / row.monit.rps, 2)}×); non-2xx ${row.monit.non2xx}/${row.warden.non2xx}/${row.wardenClose.non2xx}/${row.wardenGzip.non2xx}`,
    );
  }
  return rows;
}

async function metricsBench() {
  const rows = [];
  for (const n of METRIC_SIZES) {
    const sc = scenario(n, await freePort());
    try {
      const d = await start('warden', sc, n);
      try {
        const times = [];
        let bytes = 0;
        for (let i = 0; i < 20; i++) {
          const t0 = performance.now();
          const res = await get(sc.port, '/metrics');
          times.push(performance.now() - t0);
          bytes = Buffer.byteLength(res?.text ?? '');
        }
        const sorted = [...times].sort((a, b) => a - b);
        const row = { n, medianMs: median(times), p95Ms: sorted[Math.floor(sorted.length * 0.95)], maxMs: sorted.at(-1), bytes };
        rows.push(row);
        console.log(`/metrics N=${n}: median ${f(row.medianMs)} ms, p95 ${f(row.p95Ms)} ms, max ${f(row.maxMs)} ms, ${bytes} B`);
      } finally {
        await stop(d);
      }
    } finally {
      rmSync(sc.dir, { recursive: true, force: true });
    }
  }
  return rows;
}

const status = await statusBench();
const metrics = await metricsBench();
const out = join(ROOT, 'bench', 'results', `http-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, rounds: ROUNDS, status, metrics }, null, 2)}\n`);
console.log(`written ${out}`);
