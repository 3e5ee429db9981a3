// Steady-state scenarios: one control file per N, warden and Monit alternately, medians.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { measureRun, writeControl } from './daemon.mjs';
import { fmt, median, ratio, row } from './stats.mjs';

/** A free loopback TCP port (for the daemons' httpd). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const FIELDS = ['startupMs', 'cpuMsPerCycle', 'cpuTicksMsPerCycle', 'wallMs', 'sentinelSpanMs', 'wardenCycleMs', 'periodMs', 'rssKb', 'hwmKb', 'cycles'];

function summarise(runs) {
  if (runs.length === 0) return undefined;
  const out = { runs };
  for (const f of FIELDS) out[f] = median(runs.map((r) => r[f]));
  return out;
}

/** One run of `kind` on `file` with the bench's settings; each daemon gets its own warm-up (see bench/run.mjs). */
function measureOnce(ctx, kind, file, run, httpPort) {
  return measureRun({
    kind, file, run, httpPort,
    sentinels: ctx.sentinels, wardenBin: ctx.wardenBin, intervalMs: ctx.interval * 1000, minCycles: ctx.minCycles, minMs: ctx.minMs, timeoutMs: ctx.timeoutMs,
    warmupMs: kind === 'warden' ? ctx.warmupMs : ctx.monitWarmupMs,
  });
}

/**
 * Run `scenario` at each size: setup, the control file, `ctx.runs` runs per daemon in
 * alternating order (warden first on even runs, Monit first on odd ones), cleanup.
 */
export async function runCycleScenario(scenario, ctx, skipWarden) {
  const sizes = ctx.sizes?.length && !scenario.fixedSize ? ctx.sizes : ctx.quick ? scenario.sizes.quick : scenario.sizes.full;
  const results = [];
  for (const n of sizes) {
    const dir = join(ctx.base, `${scenario.name}-${n}`);
    mkdirSync(dir, { recursive: true });
    let setup;
    try {
      setup = await scenario.setup(dir, n);
      const httpPort = await freePort();
      const { file, run } = writeControl(dir, { interval: ctx.interval, httpPort, sentinels: ctx.sentinels, body: setup.body });
      // A plugin still being written may load but not parse this syntax yet: say so, measure Monit.
      const check = skipWarden ? undefined : spawnSync(process.execPath, [ctx.wardenBin, '-t', '-c', file], { encoding: 'utf8' });
      const rejected = check && check.status !== 0 ? `warden -t rejects the control file: ${(check.stderr || check.stdout).trim().split('\n')[0]}` : undefined;
      if (rejected) ctx.progress(`${scenario.name} N=${n}: warden skipped: ${rejected}`);
      const noWarden = skipWarden || Boolean(rejected);
      const samples = { warden: [], monit: [] };
      for (let r = 0; r < ctx.runs; r++) {
        const order = r % 2 === 0 ? ['warden', 'monit'] : ['monit', 'warden'];
        for (const kind of order) {
          if (kind === 'warden' && noWarden) continue;
          if (kind === 'monit' && !ctx.monit) continue;
          const res = await measureOnce(ctx, kind, file, run, httpPort);
          samples[kind].push(res);
          ctx.progress(`${scenario.name} N=${n} ${kind} run ${r + 1}: cpu ${fmt(res.cpuMsPerCycle, 2)} ms/cycle, wall ${fmt(res.wallMs)} ms, period ${fmt(res.periodMs, 0)} ms, start-up ${fmt(res.startupMs, 0)} ms, rss ${fmt(res.rssKb / 1024)} MB`);
        }
      }
      const variants = noWarden ? {} : await runVariants(scenario, ctx, dir, n, setup);
      results.push({ services: n, note: setup.note, wardenSkipped: rejected, warden: summarise(samples.warden), monit: summarise(samples.monit), variants });
    } finally {
      await setup?.cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

/**
 * warden alone on a variant of the scenario's control file (`scenario.variants`, bodies from
 * `setup(…).variants`) at the sizes the variant names, outside `--quick`: compared with the
 * Monit runs of the same N just measured.
 */
async function runVariants(scenario, ctx, dir, n, setup) {
  const out = {};
  for (const [name, variant] of Object.entries(scenario.variants ?? {})) {
    const body = setup.variants?.[name];
    if (ctx.quick || !body || !variant.sizes.includes(n)) continue;
    const vdir = join(dir, name);
    mkdirSync(vdir, { recursive: true });
    const httpPort = await freePort();
    const { file, run } = writeControl(vdir, { interval: ctx.interval, httpPort, sentinels: ctx.sentinels, body });
    const runs = [];
    // As many runs as each daemon's (two by default: one alone swung 1.17–1.60× in one session).
    for (let r = 0; r < ctx.runs; r++) {
      const res = await measureOnce(ctx, 'warden', file, run, httpPort);
      runs.push(res);
      ctx.progress(`${scenario.name} N=${n} warden (${name}) run ${r + 1}: cpu ${fmt(res.cpuMsPerCycle, 2)} ms/cycle, wall ${fmt(res.wallMs)} ms, start-up ${fmt(res.startupMs, 0)} ms, rss ${fmt(res.rssKb / 1024)} MB`);
    }
    out[name] = summarise(runs);
  }
  return out;
}

/** The table of one cycle scenario, as lines. */
export function cycleTable(results, intervalMs) {
  const widths = [6, 8, 8, 6, 8, 8, 6, 6, 6, 8, 8, 6, 6, 6, 6, 6];
  const lines = [
    row(['', 'CPU ms/cycle', '', '', 'cycle wall ms', '', '', 'period/interval', '', 'start-up ms', '', '', 'RSS MB', '', 'peak MB', ''], widths),
    row(['N', 'warden', 'monit', 'w/m', 'warden', 'monit', 'w/m', 'warden', 'monit', 'warden', 'monit', 'w/m', 'warden', 'monit', 'warden', 'monit'], widths),
  ];
  // One row: warden's figures `w` (the scenario's, or a variant's) against Monit's `m`.
  const line = (label, w, m) => {
    const x = (a, b) => fmt(ratio(a, b), 2);
    return row([
      label,
      fmt(w.cpuMsPerCycle, 2), fmt(m.cpuMsPerCycle, 2), x(w.cpuMsPerCycle, m.cpuMsPerCycle),
      fmt(w.wallMs, 1), fmt(m.wallMs, 1), x(w.wallMs, m.wallMs),
      fmt(w.periodMs / intervalMs, 3), fmt(m.periodMs / intervalMs, 3),
      fmt(w.startupMs, 0), fmt(m.startupMs, 0), x(w.startupMs, m.startupMs),
      fmt(w.rssKb / 1024, 1), fmt(m.rssKb / 1024, 1),
      fmt(w.hwmKb / 1024, 1), fmt(m.hwmKb / 1024, 1),
    ], widths);
  };
  for (const r of results) {
    const m = r.monit ?? {};
    lines.push(line(r.services, r.warden ?? {}, m));
    // A variant's row: warden on its control file against the same Monit runs.
    for (const [name, v] of Object.entries(r.variants ?? {})) lines.push(line(`${r.services} ${name}`, v, m));
  }
  return lines;
}
