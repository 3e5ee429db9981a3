// The example control file must stay valid: `npm start` runs it and the README points at it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('structure: examples/', () => {
  it('examples/monitrc passes `warden -t`, run from the repository root as npm start does', () => {
    const run = spawnSync(process.execPath, [join(root, 'core/bin/warden.js'), '-t', '-c', 'examples/monitrc'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Control file syntax OK$/m);
  });

  it('examples/scripts/* are executable', () => {
    for (const name of readdirSync(join(root, 'examples/scripts'))) {
      assert.doesNotThrow(() => accessSync(join(root, 'examples/scripts', name), constants.X_OK), `${name} is not executable`);
    }
  });
});
