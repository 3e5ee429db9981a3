// Shared helpers for the end-to-end suites: run the real `warden` binary on real files.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WARDEN = join(ROOT, 'core', 'bin', 'warden.js');

/** A fresh temporary folder, removed by the returned `cleanup`. */
export function tempDir(prefix = 'warden-e2e-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Per test of the calling `describe`: a fresh temporary folder and an empty list for the
 * daemons the test starts; after it, every listed daemon is killed and the folder removed.
 * `use(t, handles)` receives both before each test; `prefix` names the folder.
 */
export function daemonsPerTest(use, prefix = 'warden-e2e-') {
  let t;
  let handles;
  beforeEach(() => {
    t = tempDir(prefix);
    handles = [];
    use(t, handles);
  });
  afterEach(async () => {
    for (const h of handles) await stopChild(h, 'SIGKILL');
    t.cleanup();
  });
}

/** Write a control file with mode 0600, as Monit requires. */
export function writeControlFile(path, text) {
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  return path;
}

/**
 * The environment of a warden run: HOME is the control file's folder, so the default state,
 * id and pid files (`~/.warden.*`) of one test never leak into another.
 */
function envFor(args, extra, cwd = ROOT) {
  const conf = args[args.indexOf('-c') + 1];
  const home = args.includes('-c') && conf ? dirname(resolve(cwd, conf)) : undefined;
  return { ...process.env, ...(home ? { HOME: home } : {}), ...extra };
}

/** Run `warden ARGS` to completion (bounded by `timeout`). */
export function warden(args, options = {}) {
  const res = spawnSync(process.execPath, [WARDEN, ...args], { encoding: 'utf8', timeout: options.timeout ?? 30_000, input: options.input, cwd: options.cwd ?? ROOT, env: envFor(args, options.env, options.cwd) });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Start `warden ARGS` in the background; returns the child and a line buffer of its stderr. */
export function startWarden(args, options = {}) {
  const child = spawn(process.execPath, [WARDEN, ...args], { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: envFor(args, options.env) });
  const output = { text: '' };
  child.stdout.on('data', (d) => (output.text += d.toString()));
  child.stderr.on('data', (d) => (output.text += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output, exited };
}

/** Poll `predicate` every 50 ms until it is true or `timeoutMs` passes (bounded). */
export async function waitFor(predicate, timeoutMs = 10_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < deadline && i < 10_000; i++) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The text of a file, or '' when it does not exist yet. */
export function readText(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Count the lines of `text` that match `re`. */
export function count(text, re) {
  return text.split('\n').filter((l) => re.test(l)).length;
}

/** Kill a child started by the tests if it is still running (bounded wait). */
export async function stopChild(handle, signal = 'SIGTERM') {
  if (handle.child.exitCode !== null || handle.child.signalCode !== null) return handle.exited;
  handle.child.kill(signal);
  const timer = setTimeout(() => handle.child.kill('SIGKILL'), 10_000);
  const result = await handle.exited;
  clearTimeout(timer);
  return result;
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}
