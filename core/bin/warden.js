#!/usr/bin/env node
// Runs the bundle (scripts/bundle.mjs): one file starts several times faster than the ~300
// compiled modules Node's ESM loader would read one by one. A checkout whose `tsc -b` ran
// after the last bundle runs the compiled files instead, so a build without the bundle step
// never runs stale code.
import { readdirSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// A daemon allocates per cycle what dies young; but at start-up the first observation of every
// service is kept, and V8's allocation-site pretenuring then allocates those sites' objects in
// old space for good: at 5000 quiet file checks ~2 MB of each cycle's garbage went straight to
// old space (old-space collections, +30 MB RSS). Without it each scavenge frees them.
setFlagsFromString('--no-allocation-site-pretenuring');
// Start-up's objects survive and would grow V8's young generation to 32 MB for good: it keeps
// its first size until the daemon's first cycle ends (core/src/daemon/young-generation.ts).
setFlagsFromString('--semi-space-growth-factor=1');

const core = new URL('../', import.meta.url);
const bundle = new URL('dist/warden.mjs', core);

const { main } = await import(bundleIsCurrent() ? bundle.href : new URL('dist/cli/main.js', core).href);
await main();

/** The bundle exists and no package of the checkout was compiled after it. */
function bundleIsCurrent() {
  const built = mtime(bundle);
  if (built === undefined) return false;
  const coreInfo = new URL('tsconfig.tsbuildinfo', core);
  // An installed package ships no build info: nothing compiles there after the bundle.
  if (mtime(coreInfo) === undefined) return true;
  const repo = new URL('../', core);
  const plugins = new URL('plugins/', repo);
  const infos = [coreInfo, new URL('sdk/tsconfig.tsbuildinfo', repo), ...readdirSync(plugins).map((p) => new URL(`${p}/tsconfig.tsbuildinfo`, plugins))];
  return infos.every((info) => (mtime(info) ?? 0) <= built);
}

function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}
