// One cycle scenario's control file with warden running on it, for the tools that look inside a
// running daemon (profile.mjs, threads.mjs, series.mjs): set up, run `node [flags] core/bin/warden.js -I -c F`
// (or `monit -I -c F`),
// hand the child to `use`, then stop it and clean everything up, also when `use` throws.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './cycle.mjs';
import { writeControl } from './daemon.mjs';
import { unmountAll } from './mount.mjs';
import { Sentinels } from './sentinel.mjs';
import { SCENARIOS } from '../scenarios/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// `node bench/threads.mjs … | head -1`: a closed pipe must not end the script before its
// clean-up has stopped the daemon and the processes the scenario started.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
});

/** The cycle scenario called `name`, or undefined. */
export function cycleScenario(name) {
  return SCENARIOS.find((s) => s.name === name && s.kind === 'cycle');
}

/**
 * Run warden on `scenario` at size `n` with `nodeFlags` (or Monit, with `kind` 'monit': the
 * same control file, no flags); `use(child, dir)` gets the running daemon. `variant` names one
 * of the scenario's warden-only control files (file-checksum's `paranoid`).
 */
export async function withScenarioDaemon(scenario, n, nodeFlags, use, kind = 'warden', variant = undefined) {
  const dir = mkdtempSync(join(tmpdir(), `warden-${scenario.name}-`));
  const sentinels = await new Sentinels().start();
  let setup;
  let child;
  try {
    setup = await scenario.setup(dir, n);
    const body = variant === undefined ? setup.body : setup.variants?.[variant];
    if (!body) throw new Error(`${scenario.name} has no variant ${variant}`);
    const { file, run } = writeControl(dir, { interval: 1, httpPort: await freePort(), sentinels, body });
    mkdirSync(run, { recursive: true });
    child = kind === 'monit'
      ? spawn('monit', ['-I', '-c', file], { stdio: 'inherit' })
      : spawn(process.execPath, [...nodeFlags(dir), join(root, 'core/bin/warden.js'), '-I', '-c', file], { stdio: 'inherit' });
    return await use(child, dir);
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await setup?.cleanup?.();
    sentinels.close();
    unmountAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
