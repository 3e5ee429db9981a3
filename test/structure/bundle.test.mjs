// The bundle `npm run build` ends with (scripts/bundle.mjs): core/dist/warden.mjs exists,
// core/bin/warden.js runs it, and every built-in plugin comes preloaded from it, so reading a
// control file (what the daemon does at start and on every reload) imports no plugin's files.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir, warden, writeControlFile } from '../e2e/harness.mjs';

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

describe('structure: the bundle (scripts/bundle.mjs)', () => {
  let t;
  before(() => {
    t = tempDir('warden-bundle-');
  });
  after(() => t?.cleanup());

  it('npm run build writes core/dist/warden.mjs', () => {
    assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build`);
  });

  it('bin/warden.js runs the bundle, which imports none of the built-in plugins\' own files', () => {
    const log = join(t.dir, 'loaded.txt');
    const hooks = join(t.dir, 'hooks.mjs');
    const register = join(t.dir, 'register.mjs');
    writeFileSync(log, '');
    writeFileSync(hooks, HOOKS);
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });\n`);
    const conf = writeControlFile(join(t.dir, 'monitrc'), 'set daemon 5\ncheck file hosts with path /etc/hosts\n  if does not exist then alert\n');

    const res = warden(['-t', '-c', conf], { env: { NODE_OPTIONS: `--import ${pathToFileURL(register).href}` } });

    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Control file syntax OK/);
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.ok(loaded.includes(pathToFileURL(BUNDLE).href), `bin/warden.js did not run the bundle (is it older than the last tsc -b? run npm run build); it loaded:\n${loaded.join('\n')}`);
    const pluginFiles = loaded.filter((url) => /\/plugins\/[^/]+\/dist\/|\/node_modules\/@warden\/plugin-/.test(url));
    assert.deepEqual(pluginFiles, [], 'built-in plugins imported from their packages instead of preloaded from the bundle');
  });
});
