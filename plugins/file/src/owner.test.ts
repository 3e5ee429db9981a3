import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseTest } from '@warden/sdk/testing';
import { makeStatFixture, probePath as probe } from './test-probe.js';
import { gidTest, uidTest } from './owner.js';

describe('file.uid and file.gid', () => {
  let dir: string;
  let file: string;

  before(() => ({ dir, file } = makeStatFixture()));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reject an unknown user or group with Monit\'s error (C16, C17)', () => {
    assert.throws(() => parseTest(uidTest, 'uid nosuchuser', { polarity: 'failed' }), /Requested user not found on the system 'nosuchuser'/);
    assert.throws(() => parseTest(gidTest, 'gid "nosuchgroup"', { polarity: 'failed' }), /Requested group not found on the system '"nosuchgroup"'/);
  });

  it('compare the owner of the path, in Monit\'s words', async () => {
    const uid = process.getuid!();
    const good = await probe(uidTest, `uid ${uid}`, file, { polarity: 'failed' });
    assert.equal(good.result.message, `uid test succeeded [current uid = ${uid}]`);
    const bad = await probe(uidTest, `uid ${uid + 1}`, file, { polarity: 'failed' });
    assert.equal(bad.result.code, 'file.uid');
    assert.equal(bad.result.message, `uid test failed for svc -- current uid is ${uid}`);
    const gid = process.getgid!();
    const badGid = await probe(gidTest, `gid ${gid + 1}`, join(dir, 'sub'), { polarity: 'failed', type: 'directory' });
    assert.equal(badGid.result.message, `gid test failed for svc -- current gid is ${gid}`);
  });
});
