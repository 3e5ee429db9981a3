#!/usr/bin/env node
// Builds core's three native addons with the C compiler and Node's own headers: no download, so
// it works offline (npm ci, npm install -g). A missing compiler is not an install failure.
// - core/dist/native/reaper.node: the waitpid() warden needs as PID 1, pidfd exit watches, and
//   posix_spawn for the programs warden starts (no fork of the daemon's memory per start);
//   without it warden polls /proc for deaths between cycles, and warns when it runs as PID 1.
// - core/dist/native/stat.node: stat(2) without Node's Stats object, for the files and pidfiles
//   checked every cycle, and a small file's digest in one call (OpenSSL found in node at run
//   time, no headers needed); without it those checks call fs.statSync (~2 us more per call)
//   and Node's four calls per digest.
// - core/dist/native/memory.node: gives back the pages of the node executable only start-up
//   used (see memory.c); without it they stay resident, ~20 MB more RSS.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'dist', 'native');
const headers = [process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'), resolve(dirname(process.execPath), '..', 'include', 'node')]
  .filter(Boolean)
  .find((dir) => existsSync(join(dir, 'node_api.h')));

if (process.platform !== 'linux') process.exit(0);
if (!headers) {
  console.warn(`warden: Node's headers (node_api.h) not found next to ${process.execPath}: the native addons are not built (no PID 1 reaper; stat through Node)`);
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
const cc = process.env.CC || 'cc';
const WITHOUT = {
  reaper: 'warden will not reap orphans as PID 1',
  stat: 'file checks will stat through Node',
  memory: 'the pages of node only start-up used stay resident',
};
for (const [name, without] of Object.entries(WITHOUT)) {
  const out = join(outDir, `${name}.node`);
  const run = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', `-DNODE_GYP_MODULE_NAME=${name}`, `-I${headers}`, join(here, `${name}.c`), '-o', out], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.warn(`warden: '${cc}' could not build ${name}.node (${run.error?.message ?? `exit ${run.status}`}); ${without}`);
  }
}
process.exit(0);
