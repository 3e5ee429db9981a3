import assert from 'node:assert/strict';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseTest } from '@warden/sdk/testing';
import { makeStatFixture, probePath as probe } from './test-probe.js';
import { formatMode, permissionTest } from './permission.js';

describe('file.permission', () => {
  let dir: string;
  let file: string;

  before(() => ({ dir, file } = makeStatFixture()));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads octal modes, with or without the leading zero, and rejects others as Monit does (F17)', () => {
    assert.equal(parseTest(permissionTest, 'permission 0640', { polarity: 'failed' }).options.mode, 0o640);
    assert.equal(parseTest(permissionTest, 'perm 644', { polarity: 'failed' }).options.mode, 0o644);
    assert.equal(parseTest(permissionTest, 'permission 4755', { polarity: 'failed' }).describe, 'failed permission 4755');
    assert.throws(() => parseTest(permissionTest, 'permission 0999', { polarity: 'failed' }), /Permission statements must have an octal value between 0 and 7777 '0999'/);
    assert.throws(() => parseTest(permissionTest, 'permission 17777', { polarity: 'failed' }), /octal value between 0 and 7777 '17777'/);
    assert.throws(() => parseTest(permissionTest, 'permission then', { polarity: 'failed' }), /syntax error 'then'/);
  });

  it('succeeds and fails with the current mode in Monit\'s words', async () => {
    const good = await probe(permissionTest, 'permission 0644', file, { polarity: 'failed' });
    assert.equal(good.result.status, 'ok');
    assert.equal(good.result.message, 'permission test succeeded [current permission 0644]');
    const bad = await probe(permissionTest, 'permission 0600', file, { polarity: 'failed' });
    assert.equal(bad.result.status, 'failed');
    assert.equal(bad.result.code, 'file.permission');
    assert.equal(bad.result.message, `permission test failed for ${file} [current permission 0644]`);
    const fifo = await probe(permissionTest, 'permission 0644', join(dir, 'q'), { polarity: 'failed', type: 'fifo' });
    assert.equal(fifo.result.display, formatMode(0o666 & ~process.umask()));
  });

  it('`changed permission` reports the mode and its change', async () => {
    const state = {};
    assert.equal((await probe(permissionTest, 'permission', file, { polarity: 'changed', state })).result.message, `permission not changed for ${file}`);
    chmodSync(file, 0o600);
    const changed = await probe(permissionTest, 'permission', file, { polarity: 'changed', state });
    assert.equal(changed.result.message, `permission for ${file} changed from 0644 to 0600`);
    assert.equal(changed.result.value, 0o600);
    chmodSync(file, 0o644);
  });
});
