import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findId, groupId, userId } from './ids.js';

describe('ids', () => {
  const passwd = [
    '# local accounts',
    'root:x:0:0:root:/root:/bin/bash',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    'broken:x::1::/:/bin/false',
    'weird:x:abc:1::/:/bin/false',
    '',
  ].join('\n');

  it('finds the id in the third field', () => {
    assert.equal(findId(passwd, 'root'), 0);
    assert.equal(findId(passwd, 'nobody'), 65534);
  });

  it('ignores comments, unknown names and malformed ids', () => {
    assert.equal(findId(passwd, '# local accounts'), undefined);
    assert.equal(findId(passwd, 'nosuchuser'), undefined);
    assert.equal(findId(passwd, 'broken'), undefined);
    assert.equal(findId(passwd, 'weird'), undefined);
    assert.equal(findId(passwd, 'nob'), undefined);
  });

  it('reads passwd and group files, and treats a missing file as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-ids-'));
    try {
      writeFileSync(join(dir, 'passwd'), passwd);
      writeFileSync(join(dir, 'group'), 'nogroup:x:65534:\nstaff:x:50:alice,bob\n');
      assert.equal(userId('nobody', join(dir, 'passwd')), 65534);
      assert.equal(groupId('staff', join(dir, 'group')), 50);
      assert.equal(groupId('staff', join(dir, 'missing')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves root from the real system files', () => {
    assert.equal(userId('root'), 0);
    assert.equal(groupId('root'), 0);
  });
});
