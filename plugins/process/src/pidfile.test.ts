import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PidfileCache, SETTLE_MS } from './pidfile.js';

describe('process: pidfile cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-pidfile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  /** A clock far enough ahead that every file looks settled. */
  const later = () => Date.now() + 10 * SETTLE_MS;
  /** Give `path` another modification time, so a rewrite shows even within one tick of the file system's clock. */
  const touch = (path: string, secondsAgo: number) => {
    const t = Date.now() / 1000 - secondsAgo;
    utimesSync(path, t, t);
  };

  it('reads a settled file once, then only when it changed', () => {
    const f = join(dir, 'a.pid');
    writeFileSync(f, '1234\n');
    const cache = new PidfileCache(later);
    assert.deepEqual(cache.read(f), { pid: 1234 });
    assert.deepEqual(cache.read(f), { pid: 1234, cached: true });
    writeFileSync(f, '5678\n'); // same size, same inode
    touch(f, 100);
    assert.deepEqual(cache.read(f), { pid: 5678 });
    assert.deepEqual(cache.read(f), { pid: 5678, cached: true });
  });

  it('sees a file replaced by a rename', () => {
    const f = join(dir, 'b.pid');
    writeFileSync(f, '1234\n');
    const cache = new PidfileCache(later);
    cache.read(f);
    assert.equal(cache.read(f).cached, true);
    const tmp = join(dir, 'b.pid.tmp');
    writeFileSync(tmp, '4321\n');
    renameSync(tmp, f);
    assert.deepEqual(cache.read(f), { pid: 4321 });
  });

  it('reads a file changed within the last second every time (its times may not show a rewrite)', () => {
    const f = join(dir, 'c.pid');
    writeFileSync(f, '1234\n');
    const cache = new PidfileCache();
    assert.ok(statSync(f).ctimeMs > Date.now() - SETTLE_MS);
    assert.deepEqual(cache.read(f), { pid: 1234 });
    writeFileSync(f, '5678\n'); // possibly within the same tick: same size and times
    assert.deepEqual(cache.read(f), { pid: 5678 });
  });

  it('names a missing file, and garbage, from the cache too', () => {
    const f = join(dir, 'd.pid');
    const cache = new PidfileCache(later);
    assert.match(cache.read(f).reason!, /^pidfile '.*d\.pid' does not exist$/);
    writeFileSync(f, 'garbage');
    assert.match(cache.read(f).reason!, /does not contain a valid pid/);
    assert.equal(cache.read(f).cached, true);
    assert.match(cache.read(f).reason!, /does not contain a valid pid/);
    rmSync(f);
    assert.match(cache.read(f).reason!, /does not exist/);
  });

  it('rereads on request whatever the file looks like', () => {
    const f = join(dir, 'e.pid');
    writeFileSync(f, '1234\n');
    const cache = new PidfileCache(later);
    cache.read(f);
    assert.deepEqual(cache.reread(f), { pid: 1234 });
    assert.deepEqual(cache.read(f), { pid: 1234 }, 'a reread forgets what was seen');
  });
});
