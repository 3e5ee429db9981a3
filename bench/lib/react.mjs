// Shared pieces of the reaction scenarios: start a daemon on a control file and wait for its
// second cycle, poll for an effect with a bounded loop, a marker script for `exec`.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { daemonOutput, startDaemon } from './daemon.mjs';
import { stopChild } from './proc.mjs';
import { median, sleep } from './stats.mjs';

/**
 * Poll `predicate` every `stepMs` until it is true: the performance.now() at which it was
 * first seen true, or undefined after `timeoutMs`.
 */
export async function pollUntil(predicate, timeoutMs, stepMs = 2) {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (predicate()) return performance.now();
    await sleep(stepMs);
  }
  return undefined;
}

/** A script `exec` runs: it creates `dir/fired` (the bench polls for it). */
export function markerScript(dir) {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'mark.sh');
  const fired = join(dir, 'fired');
  writeFileSync(script, `#!/bin/sh\necho "$MONIT_SERVICE $MONIT_EVENT" >> ${fired}\n`);
  chmodSync(script, 0o755);
  return { script, fired, seen: () => existsSync(fired), clear: () => rmSync(fired, { force: true }) };
}

/** Lines appended to `path` since the last call (a log-line detector). */
export function logFollower(path) {
  let offset = 0;
  return () => {
    if (!existsSync(path)) return '';
    const buf = readFileSync(path);
    const text = buf.subarray(offset).toString('utf8');
    offset = buf.length;
    return text;
  };
}

/** Start `kind` on `file` and resolve once two cycles ended; `stop()` ends it. */
export async function startAndSettle(kind, { file, run }, ctx) {
  ctx.sentinels.reset();
  const child = startDaemon(kind, file, run, ctx.wardenBin);
  try {
    await ctx.sentinels.waitLast(2, ctx.timeoutMs);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${kind}: ${err.message}\n${daemonOutput(run)}`);
  }
  return { child, stop: () => stopChild(child) };
}

/** Median, min, max and count of latencies (ms). */
export function latencySummary(xs) {
  const ok = xs.filter((x) => x !== undefined);
  return { samples: xs, medianMs: median(ok), minMs: ok.length ? Math.min(...ok) : undefined, maxMs: ok.length ? Math.max(...ok) : undefined, missed: xs.length - ok.length };
}

/** A random wait so the trigger falls at a random phase of the cycle. */
export const randomPhase = (intervalMs) => sleep(200 + Math.random() * intervalMs);

/**
 * Wait for the daemon's next end of cycle, then trial k of n waits (k + ½)/n of the interval:
 * the same spread of phases for both daemons, so a handful of trials compares the daemons and
 * not the luck of where a change fell in the cycle.
 */
export async function cyclePhase(ctx, trial, trials = ctx.trials) {
  await ctx.sentinels.waitLast(ctx.sentinels.last.length + 1, ctx.timeoutMs);
  await sleep(((trial + 0.5) / trials) * ctx.interval * 1000);
}
