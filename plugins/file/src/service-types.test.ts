import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isParseError } from '@warden/sdk';
import { observeOnce, parseTarget } from '@warden/sdk/testing';
import { directoryService, fifoService, fileService } from './service-types.js';

describe('file service types', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-file-'));
    writeFileSync(join(dir, 'hosts'), 'hello\n');
    execFileSync('mkfifo', [join(dir, 'queue')]);
    symlinkSync(join(dir, 'hosts'), join(dir, 'link'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('parseTarget', () => {
    it('reads `with path PATH`, `with` being noise', () => {
      assert.deepEqual(parseTarget(fileService, 'with path /etc/hosts'), { path: '/etc/hosts' });
      assert.deepEqual(parseTarget(directoryService, 'path "/var/www dir"'), { path: '/var/www dir' });
    });

    it('rejects a relative path as Monit does (L6)', () => {
      assert.throws(() => parseTarget(fileService, 'with path f.txt'), (err: unknown) => {
        assert.ok(isParseError(err));
        assert.match(err.message, /^syntax error 'f.txt'/);
        return true;
      });
    });

    it('requires the path keyword', () => {
      assert.throws(() => parseTarget(fifoService, 'with /tmp/q'), /syntax error '\/tmp\/q', expected 'path'/);
    });
  });

  it('declares Monit\'s implicit existence rule and describes itself by path', () => {
    for (const def of [fileService, fifoService, directoryService]) {
      assert.deepEqual(def.implicitRules?.({ path: '/x' }), ['if does not exist then restart', 'if failed type then restart']);
      assert.equal(def.describe?.({ path: '/x' }), '/x');
      assert.equal(def.monitType, def.name);
      assert.deepEqual(def.keywords, [def.name]);
    }
  });

  describe('observe', () => {
    it('stats a regular file', async () => {
      const { target } = await observeOnce(fileService, { path: join(dir, 'hosts') });
      assert.equal(target?.stat?.kind, 'file');
      assert.equal(target?.stat?.size, 6);
      assert.equal(target?.error, undefined);
      assert.equal(typeof target?.stat?.mtimeMs, 'number');
    });

    it('stats a directory and a fifo', async () => {
      assert.equal((await observeOnce(directoryService, { path: dir })).target?.stat?.kind, 'directory');
      assert.equal((await observeOnce(fifoService, { path: join(dir, 'queue') })).target?.stat?.kind, 'fifo');
    });

    it('follows symbolic links', async () => {
      const { target } = await observeOnce(fileService, { path: join(dir, 'link') });
      assert.equal(target?.stat?.kind, 'file');
      assert.equal(target?.stat?.size, 6);
    });

    it('reports a missing path as a null stat without an error', async () => {
      const { target } = await observeOnce(fileService, { path: join(dir, 'nope') });
      assert.deepEqual(target, { path: join(dir, 'nope'), stat: null });
    });

    it('reports a path under a regular file as missing', async () => {
      const { target } = await observeOnce(fileService, { path: join(dir, 'hosts', 'x') });
      assert.equal(target?.stat, null);
      assert.equal(target?.error, undefined);
    });

    it('hands back the last target while no field of the stat moves, and a new one as soon as one does', async () => {
      const path = join(dir, 'quiet');
      writeFileSync(path, 'one\n');
      const { target: first, state } = await observeOnce(fileService, { path });
      const again = (await observeOnce(fileService, { path }, { state })).target!;
      assert.equal(again, first, 'the same object: nothing to compare field by field, nothing new kept');
      assert.equal(fileService.sameTarget!(first!, again), true);
      writeFileSync(path, 'two, longer\n');
      const moved = (await observeOnce(fileService, { path }, { state })).target!;
      assert.notEqual(moved, first);
      assert.equal(moved.stat?.size, 12);
      assert.equal(fileService.sameTarget!(first!, moved), false);
      rmSync(path);
      assert.equal((await observeOnce(fileService, { path }, { state })).target?.stat, null);
      writeFileSync(path, 'two, longer\n');
      const back = (await observeOnce(fileService, { path }, { state })).target!;
      assert.equal(back.stat?.size, 12);
    });

    it('keeps the reason when the path cannot be stat\'ed', async () => {
      const { target } = await observeOnce(fileService, { path: join(dir, 'loop-a') });
      assert.equal(target?.stat, null);
      assert.match(target?.error ?? '', /ELOOP/);
    });
  });
});
