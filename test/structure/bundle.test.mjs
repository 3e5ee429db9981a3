// The bundle `npm run build` ends with (scripts/bundle.mjs): core/dist/warden.mjs exists,
// core/bin/warden.js runs it, and every built-in plugin comes preloaded from it, so reading a
// control file (what the daemon does at start and on every reload) imports no plugin's files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, readText, ROOT, startWarden, stopChild, tempDir, waitFor, warden, writeControlFile } from '../e2e/harness.mjs';

const BUNDLE = join(ROOT, 'core/dist/warden.mjs');

/** A module hook that appends every URL Node's ESM loader loads to the file it is given. */
const HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) {
  log = data.log;
}
export async function load(url, context, next) {
  appendFileSync(log, url + '\\n');
  return next(url, context);
}
`;

/** The `--import` for NODE_OPTIONS that logs every URL the ESM loader loads to `log`. */
function loggingImport(dir, log) {
  const hooks = join(dir, 'hooks.mjs');
  const register = join(dir, 'register.mjs');
  writeFileSync(log, '');
  writeFileSync(hooks, HOOKS);
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });\n`);
  return `--import ${pathToFileURL(register).href}`;
}

describe('structure: the bundle (scripts/bundle.mjs)', () => {
  let t;
  before(() => {
    t = tempDir('warden-bundle-');
  });
  after(() => t?.cleanup());
  const CORE = pathToFileURL(join(ROOT, 'core/')).href;

  it('npm run build writes core/dist/warden.mjs', () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build`);
  });

  it('bin/warden.js runs the bundle, which imports none of the built-in plugins\' own files nor the sdk\'s', () => {
    const log = join(t.dir, 'loaded.txt');
    const conf = writeControlFile(join(t.dir, 'monitrc'), 'set daemon 5\ncheck file hosts with path /etc/hosts\n  if does not exist then alert\n');

    const res = warden(['-t', '-c', conf], { env: { NODE_OPTIONS: loggingImport(t.dir, log) } });

    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Control file syntax OK/);
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.ok(loaded.includes(pathToFileURL(BUNDLE).href), `bin/warden.js did not run the bundle (is it older than the last tsc -b? run npm run build); it loaded:\n${loaded.join('\n')}`);
    const pluginFiles = loaded.filter((url) => /\/plugins\/[^/]+\/dist\/|\/node_modules\/@warden\/plugin-/.test(url));
    assert.deepEqual(pluginFiles, [], 'built-in plugins imported from their packages instead of preloaded from the bundle');
    // The sdk is bundled too: its 15 modules one by one through the ESM loader cost ~25 ms.
    assert.deepEqual(loaded.filter((url) => url.startsWith('file:') && !url.startsWith(CORE)), [], 'files loaded from outside core/');
  });

  it('a running daemon loads its HTTP router at the first request, not at start', async () => {
    const log = join(t.dir, 'daemon-loaded.txt');
    const port = await freePort();
    const run = join(t.dir, 'run');
    mkdirSync(run);
    const conf = writeControlFile(join(t.dir, 'daemonrc'), [
      'set daemon 1',
      `set log ${join(run, 'warden.log')}`,
      `set pidfile ${join(run, 'warden.pid')}`,
      `set idfile ${join(run, 'warden.id')}`,
      `set statefile ${join(run, 'warden.state')}`,
      `set httpd port ${port} and use address 127.0.0.1`,
      '  allow 127.0.0.1',
      'check file hosts with path /etc/hosts',
      '  if does not exist then alert',
      '',
    ].join('\n'));
    const daemon = startWarden(['-I', '-c', conf], { env: { NODE_OPTIONS: loggingImport(t.dir, log) } });
    try {
      // The state file is written at the end of the first cycle.
      await waitFor(() => readText(join(run, 'warden.state')) !== '', 15_000, `the first cycle (${daemon.output.text})`);
      const router = (url) => /\/chunks\/(find-my-way|routes)-/.test(url);
      const atStart = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      assert.ok(atStart.some((url) => /\/chunks\/container-/.test(url)), `the daemon chunk was not loaded:\n${atStart.join('\n')}`);
      assert.deepEqual(atStart.filter(router), [], 'the router was loaded before any request');
      const res = await fetch(`http://127.0.0.1:${port}/_status?format=text`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /hosts/);
      const after = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      assert.equal(after.filter(router).length, 2, `the router and its routes load at the first request:\n${after.join('\n')}`);
    } finally {
      await stopChild(daemon);
    }
  });
});
