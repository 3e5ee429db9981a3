import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { softFdLimit } from './limits.js';

describe('softFdLimit', () => {
  it('is the soft descriptor limit a child inherits (what `ulimit -Sn` prints)', () => {
    const shell = spawnSync('/bin/sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' });
    const expected = shell.stdout.trim();
    assert.equal(String(softFdLimit() ?? 'unlimited'), expected);
  });
});
