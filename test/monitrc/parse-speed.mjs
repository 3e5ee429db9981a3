#!/usr/bin/env node
// Parse speed, by hand: `node test/monitrc/parse-speed.mjs [N]` writes a control file of N
// (default 10,000) generated services of every common type and times `monit -t`, the real
// `warden -t`, and warden's in-process parse (`readConfig`), best of 3 runs each. Prints one
// JSON line with the times in ms and the ratio warden/monit (< 1: warden is faster). Needs
// the `monit` package.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WARDEN } from '../e2e/harness.mjs';
import { readConfig } from '../../core/dist/config/read-config.js';

/** One service of each kind in turn, with the rules a real file has. */
function service(i) {
  switch (i % 6) {
    case 0:
      return `check process p${i} with pidfile /run/p${i}.pid\n  start program = "/bin/true"\n  if cpu > 80% for 5 cycles then restart\n  if failed port ${1024 + (i % 60000)} protocol http request "/health" then restart\n  if 3 restarts within 5 cycles then unmonitor\n  group g${i % 10}\n`;
    case 1:
      return `check file f${i} with path /tmp/f${i}\n  if timestamp > 15 minutes then alert\n  if size > 100 MB then alert\n  if failed permission 644 then alert\n`;
    case 2:
      return `check host h${i} with address 127.0.0.1\n  if failed ping then alert\n  if failed port 443 protocol https with timeout 10 seconds then alert\n`;
    case 3:
      return `check filesystem fs${i} with path /\n  if space usage > 90% for 3 cycles then alert\n  if inode usage > 90% then alert\n`;
    case 4:
      return `check directory d${i} with path /tmp\n  if changed timestamp then alert\n  depends on f${i - 3}\n`;
    default:
      return `check fifo q${i} with path /tmp/q${i}\n  if failed permission 660 then alert\n`;
  }
}

/** The best of `RUNS` wall-clock times (a busy machine only ever adds time). */
function time(fn) {
  let best;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const result = fn();
    const ms = Math.round(performance.now() - start);
    if (!best || ms < best.ms) best = { ms, result };
  }
  return best;
}

const RUNS = 3;

const n = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'warden-speed-'));
try {
  const file = join(dir, 'monitrc');
  writeFileSync(file, `set daemon 60\nset idfile ${dir}/monit.id\n${Array.from({ length: n }, (_, i) => service(i)).join('')}`);
  chmodSync(file, 0o600);
  const monit = time(() => spawnSync('monit', ['-t', '-c', file], { encoding: 'utf8' }));
  if (monit.result.status !== 0) throw new Error(`monit -t failed: ${monit.result.stderr || monit.result.error}`);
  const cli = time(() => spawnSync(process.execPath, [WARDEN, '-t', '-c', file], { encoding: 'utf8' }));
  if (cli.result.status !== 0) throw new Error(`warden -t failed: ${cli.result.stderr}`);
  let inProcess = Infinity;
  let model;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    ({ model } = await readConfig(file));
    inProcess = Math.min(inProcess, Math.round(performance.now() - start));
  }
  console.log(JSON.stringify({
    services: model.services.length,
    monitMs: monit.ms,
    wardenCliMs: cli.ms,
    wardenInProcessMs: inProcess,
    ratioCli: +(cli.ms / monit.ms).toFixed(2),
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
