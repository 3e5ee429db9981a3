#!/usr/bin/env node
// Builds core/dist/native/reaper.node (the waitpid() warden needs as PID 1, and pidfd exit
// watches) with the C compiler and Node's own headers: no download, so it works offline
// (npm ci, npm install -g). A missing compiler is not an install failure: warden then polls
// /proc for deaths between cycles, and warns when it runs as PID 1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'native', 'reaper.node');
const headers = [process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'), resolve(dirname(process.execPath), '..', 'include', 'node')]
  .filter(Boolean)
  .find((dir) => existsSync(join(dir, 'node_api.h')));

if (process.platform !== 'linux') process.exit(0);
if (!headers) {
  console.warn(`warden: Node's headers (node_api.h) not found next to ${process.execPath}: the PID 1 reaper is not built`);
  process.exit(0);
}
mkdirSync(dirname(out), { recursive: true });
const cc = process.env.CC || 'cc';
const run = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-Wall', '-DNODE_GYP_MODULE_NAME=reaper', `-I${headers}`, join(here, 'reaper.c'), '-o', out], { stdio: 'inherit' });
if (run.status !== 0) {
  console.warn(`warden: '${cc}' could not build the PID 1 reaper (${run.error?.message ?? `exit ${run.status}`}); warden will not reap orphans as PID 1`);
}
process.exit(0);
