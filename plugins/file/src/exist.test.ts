import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { observeOnce, parseTest, runProbe } from '@warden/sdk/testing';
import { existTest } from './exist.js';
import { directoryService, fileService } from './service-types.js';
import type { PathTarget } from './path-target.js';

describe('file.exist', () => {
  describe('parse', () => {
    it('reads `does not exist`: a state test of class nonexist', () => {
      // The core parser strips `does` as noise; the stream starts at the keyword.
      const parsed = parseTest(existTest, 'does not exist');
      assert.deepEqual(parsed.condition, { kind: 'state' });
      assert.equal(parsed.event, 'nonexist');
      assert.equal(parsed.describe, 'does not exist');
    });

    it('reads `exist`: an inverted state test of class exist', () => {
      const parsed = parseTest(existTest, 'exist');
      assert.deepEqual(parsed.condition, { kind: 'state', invert: true });
      assert.equal(parsed.event, 'exist');
    });

    it('rejects `not` without `exist`', () => {
      assert.throws(() => parseTest(existTest, 'not there'), /syntax error 'there', expected 'exist'/);
    });
  });

  describe('run', () => {
    let dir: string;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'warden-exist-'));
      writeFileSync(join(dir, 'present'), 'x');
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    const probe = async (type: 'file' | 'directory', path: string) => {
      const def = type === 'file' ? fileService : directoryService;
      const { target } = await observeOnce(def, { path });
      return runProbe(existTest, { options: {}, target: target!, service: { name: 'svc', type } });
    };

    it('is ok for a present file, in Monit\'s words', async () => {
      const { result } = await probe('file', join(dir, 'present'));
      assert.equal(result.status, 'ok');
      assert.equal(result.message, 'file exists');
    });

    it('fails file.missing for an absent file', async () => {
      const { result } = await probe('file', join(dir, 'absent'));
      assert.equal(result.status, 'failed');
      assert.equal(result.code, 'file.missing');
      assert.equal(result.message, "file doesn't exist");
    });

    it('names the service kind: directory', async () => {
      assert.equal((await probe('directory', dir)).result.message, 'directory exists');
      assert.equal((await probe('directory', join(dir, 'gone'))).result.message, "directory doesn't exist");
    });

    it('adds the reason when the stat failed for another cause', async () => {
      const target: PathTarget = { path: '/x', stat: null, error: 'EACCES: permission denied' };
      const { result } = await runProbe(existTest, { options: {}, target, service: { name: 's', type: 'fifo' } });
      assert.equal(result.message, "fifo doesn't exist -- EACCES: permission denied");
    });
  });
});
