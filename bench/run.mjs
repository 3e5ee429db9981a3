#!/usr/bin/env node
// warden's benchmarks side by side with Monit 5.33 (and pmtr's recorded figures): every
// scenario generates one control file, runs `warden -I -c F` and `monit -I -c F` on it in
// turn (never both at once), and reports medians and warden/Monit ratios as tables on stdout
// and JSON in bench/results/. See bench/README.md.
//
//   node bench/run.mjs [--quick] [--runs 2] [--warmup 5] [--monit-warmup 0] [--trials 5] [--sizes 10000] [--bin core/bin/warden.js] [scenario …]
//   (`npm run bench [-- …]` builds first)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cycleTable, freePort, runCycleScenario } from './lib/cycle.mjs';
import { unmountAll } from './lib/mount.mjs';
import { availableContributions, missingReason } from './lib/plugins.mjs';
import { Sentinels } from './lib/sentinel.mjs';
import { fmt, row } from './lib/stats.mjs';
import { checkTargets } from './lib/targets.mjs';
import { SCENARIOS } from './scenarios/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    'monit-warmup': { type: 'string' },
    sizes: { type: 'string' },
    trials: { type: 'string' },
    bin: { type: 'string', default: join(root, 'core/bin/warden.js') },
    list: { type: 'boolean', default: false },
  },
});
if (values.list) {
  for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(15)} ${s.quick ? 'quick' : '     '}  ${s.title}\n`);
  process.exit(0);
}
const unknown = positionals.filter((p) => !SCENARIOS.some((s) => s.name === p));
if (unknown.length) {
  process.stderr.write(`bench: unknown scenario ${unknown.join(', ')} (--list shows them)\n`);
  process.exit(2);
}
const selected = positionals.length ? SCENARIOS.filter((s) => positionals.includes(s.name)) : SCENARIOS.filter((s) => !values.quick || s.quick);
if (!existsSync(values.bin)) {
  process.stderr.write(`bench: ${values.bin} is missing: run npm run build\n`);
  process.exit(1);
}
const monitV = spawnSync('monit', ['-V'], { encoding: 'utf8' });
const monit = monitV.status === 0 ? monitV.stdout.split('\n')[0].trim() : undefined;

const out = (line = '') => process.stdout.write(`${line}\n`);
const base = mkdtempSync(join(tmpdir(), 'warden-bench-'));
const cleanup = () => {
  unmountAll();
  rmSync(base, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    cleanup();
    process.exit(130);
  });
}

const sentinels = await new Sentinels().start();
const ctx = {
  root,
  base,
  quick: values.quick,
  sizes: values.sizes?.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0),
  runs: Math.max(1, Number(values.runs) || (values.quick ? 1 : 2)),
  trials: Math.max(1, Number(values.trials) || (values.quick ? 3 : 5)),
  interval: 1,
  // the measured window: at least this many whole cycles and this long (after start-up + 1 cycle)
  minCycles: values.quick ? 2 : 3,
  minMs: values.quick ? 1500 : 3000,
  // the window starts at the first cycle end this long after the spawn (JIT warm-up; see measureRun)
  warmupMs: 1000 * (Number(values.warmup) || (values.quick ? 4 : 5)),
  // Monit is compiled C: its steady cycles start at its second (no JIT to warm up, measured
  // the same as after 5 s: bench/README.md), so its window starts there unless this is given
  monitWarmupMs: 1000 * (Number(values['monit-warmup']) || 0),
  timeoutMs: 120_000,
  wardenBin: values.bin,
  monit,
  sentinels,
  freePort,
  progress: (line) => process.stderr.write(`  ${line}\n`),
};
const contributions = availableContributions(root);
const report = {
  benchmark: 'warden-vs-monit',
  date: new Date().toISOString(),
  node: process.version,
  platform: `${platform()} ${release()}`,
  cpu: `${cpus().length} × ${cpus()[0]?.model}`,
  monit: monit ?? null,
  quick: ctx.quick,
  runs: ctx.runs,
  trials: ctx.trials,
  intervalSeconds: ctx.interval,
  scenarios: [],
};
const t0 = performance.now();
out(`warden vs ${monit ?? 'Monit (not installed: no comparison)'}; node ${process.version}; ${report.cpu}`);
out(`set daemon ${ctx.interval}; medians of ${ctx.runs} alternating runs per daemon; reactions: ${ctx.trials} trials per daemon`);

/** Run one scenario and fill its report `entry` (tables go to stdout as they are ready). */
async function runScenario(s, entry, dir, missing) {
  if (s.kind === 'cycle') {
    entry.results = await runCycleScenario(s, ctx, Boolean(missing));
    for (const r of entry.results) if (r.note) out(`(N=${r.services}: ${r.note})`);
    for (const r of entry.results) if (r.wardenSkipped) out(`N=${r.services}: warden skipped: ${r.wardenSkipped}`);
    cycleTable(entry.results, ctx.interval * 1000).forEach((l) => out(l));
  } else if (s.kind === 'custom') {
    const { result, lines } = await s.run(ctx, dir);
    entry.result = result;
    lines.forEach((l) => out(l));
  } else {
    entry.result = {};
    const kinds = (s.wardenOnly ? ['warden'] : ['warden', 'monit']).filter((k) => (k === 'warden' ? !missing : monit));
    for (const kind of kinds) {
      const kdir = join(dir, kind);
      mkdirSync(kdir, { recursive: true });
      const metrics = await s.run(ctx, kind, kdir);
      for (const [metric, summary] of Object.entries(metrics)) {
        (entry.result[metric] ??= {})[kind] = summary;
        ctx.progress(`${s.name} ${kind}: ${metric} ${summary.samples.map((x) => fmt(x, 1)).join(' ')} ms`);
      }
    }
    const widths = [30, 24, 24, 22];
    out(row(['reaction (ms)', 'warden median [min–max]', 'monit median [min–max]', 'reference'], widths));
    const cell = (x) => (x ? `${fmt(x.medianMs, 1)} [${fmt(x.minMs, 1)}–${fmt(x.maxMs, 1)}]${x.missed ? ` ${x.missed} missed` : ''}` : '-');
    for (const [metric, v] of Object.entries(entry.result)) {
      const ref = s.reference?.[metric];
      out(row([metric, cell(v.warden), cell(v.monit), ref ? `pmtr ${ref.pmtrMedianMs}` : '-'], widths));
      if (ref) v.reference = ref;
    }
  }
}

try {
  for (const s of selected) {
    out();
    out(`## ${s.name}: ${s.title}`);
    const entry = { name: s.name, title: s.title, kind: s.kind, family: s.family };
    report.scenarios.push(entry);
    const missing = s.requires ? missingReason(s.requires, contributions) : undefined;
    if (s.needsRoot && process.getuid() !== 0) {
      entry.skipped = 'needs root (it mounts a tmpfs)';
    } else if (missing && (s.wardenOnly || !monit)) {
      entry.skipped = `warden: ${missing}`;
    }
    if (entry.skipped) {
      out(`skipped: ${entry.skipped}`);
      continue;
    }
    if (missing) {
      entry.wardenSkipped = missing;
      out(`warden skipped: ${missing}; Monit measured alone`);
    }
    const dir = join(base, s.name);
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    try {
      await runScenario(s, entry, dir, missing);
    } catch (err) {
      // A daemon that cannot run this scenario fails it (exit status 1), the others still run.
      entry.error = err.message;
      out(`FAILED: ${err.message}`);
      process.exitCode = 1;
    }
    entry.elapsedSeconds = (performance.now() - started) / 1000;
    out(`(${s.name}: ${fmt(entry.elapsedSeconds, 0)} s)`);
  }

  const targets = checkTargets(report, ctx.interval * 1000);
  report.targets = targets.map(([target, where, value, limit, verdict]) => ({ target, where, value, limit, verdict }));
  if (targets.length) {
    out();
    out('## targets (warden)');
    const widths = [44, 22, 9, 8, 7];
    out(row(['target', 'where', 'value', 'limit', ''], widths));
    targets.forEach((t) => out(row(t, widths)));
  }
  report.elapsedSeconds = (performance.now() - t0) / 1000;
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  out();
  out(`elapsed ${fmt(report.elapsedSeconds, 0)} s; results: ${file}`);
} catch (err) {
  process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
  process.exitCode = 1;
} finally {
  sentinels.close();
  cleanup();
}
