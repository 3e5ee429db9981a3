import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_VERSION, contributionId } from '@warden/sdk';
import plugin from './index.js';

describe('@warden/plugin-checksum', () => {
  it('declares in its manifest exactly what its default export contributes', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    assert.equal(pkg.warden.apiVersion, API_VERSION);
    assert.equal(plugin.apiVersion, API_VERSION);
    assert.deepEqual(pkg.warden.contributes, plugin.definitions.map(contributionId));
  });
});
