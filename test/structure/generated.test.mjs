// The plugin reference in docs/CONFIGURATION.md is up to date with the plugins' option docs
// (the built-in lists are checked in plugins.test.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.mjs';

describe('structure: generated files', () => {
  for (const script of ['gen-config-docs.mjs']) {
    it(`scripts/${script} --check passes`, () => {
      const res = spawnSync(process.execPath, [join(ROOT, 'scripts', script), '--check'], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(res.status, 0, res.stderr + res.stdout);
    });
  }
});
