import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProcFile } from './proc-file.js';

/** The daemon's open descriptors pointing at `path`. */
function openOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

describe('readProcFile (procfs files kept open)', () => {
  it('reads the current text each time through one kept descriptor', () => {
    const first = readProcFile('/proc/uptime')!;
    assert.match(first, /^\d+\.\d+ \d+\.\d+\n$/);
    const seconds = Number(first.split(' ')[0]);
    const again = readProcFile('/proc/uptime')!;
    assert.ok(Number(again.split(' ')[0]) >= seconds);
    assert.equal(openOn('/proc/uptime'), 1, 'one descriptor, kept');
  });

  it('reads a text longer than its first buffer whole', () => {
    // A Node process's smaps runs to hundreds of KB, a page or so per read: the kept buffer
    // (16 KB) grows to hold it all.
    const text = readProcFile('/proc/self/smaps')!;
    assert.ok(text.length > 64 * 1024, String(text.length));
    // Up to the end of the last mapping (its last field), not cut at a page.
    assert.match(text, /\nVmFlags:[a-z ]+\n$/);
    assert.ok(readFileSync('/proc/self/smaps', 'latin1').length > 64 * 1024);
  });

  it('answers undefined for a file it cannot open, and reads one that comes back, in the encoding asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-kept-'));
    try {
      const path = join(dir, 'later');
      assert.equal(readProcFile(path), undefined);
      writeFileSync(path, 'there now: /mnt/données\n');
      assert.equal(readProcFile(path, 'utf8'), 'there now: /mnt/données\n', 'decoded as asked (mountinfo holds UTF-8 paths)');
      assert.equal(readProcFile(path), 'there now: /mnt/donnÃ©es\n', 'latin1 by default');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
