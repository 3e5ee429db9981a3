import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { nodeStat, type FileStat, type StatPath } from '@warden/sdk';
import { createContainer } from '../di/container.js';
import { Tokens } from '../di/tokens.js';
import { loadStatAddon, loadStatPath, loadWatchPaths, MISSING_FD, type PathWatch } from './stat-path.js';

const FIELDS = ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'size', 'atimeMs', 'mtimeMs', 'ctimeMs'] as const;

/** The fields a StatPath promises, from either implementation. */
function fields(st: FileStat | undefined): Record<string, number> | undefined {
  return st && Object.fromEntries(FIELDS.map((f) => [f, st[f]]));
}

/** What `stat` answers for `path`: its fields, or the error it threw (code and message). */
function answer(stat: StatPath, path: string): unknown {
  try {
    return { fields: fields(stat(path)) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { code: e.code, message: e.message, name: e.name };
  }
}

describe('core stat (native addon)', () => {
  let dir: string;
  let stat: StatPath;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-stat-'));
    const addon = loadStatAddon();
    // npm ci builds it (core/native/build.mjs, gcc is a CI package): without it this suite would
    // compare Node with itself.
    assert.ok(!(addon instanceof Error), `core/dist/native/stat.node did not load: ${String(addon)}`);
    stat = loadStatPath(addon);
    assert.notEqual(stat, nodeStat);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers what fs.statSync answers for files, directories, fifos, symlinks and odd names', () => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x'.repeat(4097));
    // Times with sub-millisecond parts: the milliseconds must be Node's to the last bit.
    utimesSync(file, 1_700_000_000.123456789, 1_700_000_123.987654321);
    const sparse = join(dir, 'sparse');
    writeFileSync(sparse, '');
    truncateSync(sparse, 5 * 2 ** 30);
    mkdirSync(join(dir, 'sub'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync(file, join(dir, 'link'));
    const utf8 = join(dir, 'naïve 文件 ü');
    writeFileSync(utf8, 'é');
    const paths = [file, sparse, join(dir, 'sub'), join(dir, 'fifo'), join(dir, 'link'), utf8, dir, '/', '/proc/self/stat', '/dev/null', relative(process.cwd(), file)];
    for (const path of paths) {
      const got = stat(path);
      assert.ok(got, path);
      assert.deepEqual(fields(got), fields(statSync(path)), path);
    }
    assert.equal(stat(sparse)!.size, 5 * 2 ** 30);
    assert.equal(stat(file)!.mtimeMs, statSync(file).mtimeMs);
    assert.notEqual(stat(file)!.mtimeMs % 1, 0, 'sub-millisecond part kept');
  });

  it('answers undefined where nothing is, and throws Node’s own errors otherwise', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const cases = [
      join(dir, 'missing'), // ENOENT: undefined
      join(dir, 'dangling'), // ENOENT through a symlink
      join(file, 'below'), // ENOTDIR: thrown
      join(dir, 'loop-a'), // ELOOP
      `${dir}/${'n'.repeat(300)}`, // ENAMETOOLONG (one component)
      `${dir}/${'d/'.repeat(2100)}x`, // longer than PATH_MAX: the addon leaves it to Node
      `${file}\0hidden`, // a NUL byte: Node's argument error, never a stat of the truncated path
      '', // ENOENT
    ];
    for (const path of cases) assert.deepEqual(answer(stat, path), answer(nodeStat, path), JSON.stringify(path.slice(0, 80)));
    assert.equal(stat(join(dir, 'missing')), undefined);
    assert.throws(() => stat(join(file, 'below')), { code: 'ENOTDIR', message: `ENOTDIR: not a directory, stat '${join(file, 'below')}'` });
    assert.throws(() => stat(`${file}\0hidden`), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  it('sees a file change between two calls (no stale array)', () => {
    const file = join(dir, 'grows');
    writeFileSync(file, 'a');
    const a = stat(file)!;
    writeFileSync(file, 'abc');
    const b = stat(file)!;
    assert.equal(a.size, 1);
    assert.equal(b.size, 3);
  });

  it("is the daemon's stat (the container's)", () => {
    const fromContainer = createContainer().resolve(Tokens.StatPath);
    assert.notEqual(fromContainer, nodeStat);
    assert.deepEqual(fields(fromContainer(dir)), fields(statSync(dir)));
  });

  it('falls back to Node without the addon', () => {
    assert.equal(loadStatPath(new Error('not built')), nodeStat);
  });
});

describe('PathWatch (batched stats, native addon)', () => {
  let dir: string;
  beforeEach(function () {
    if (!loadWatchPaths()) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'warden-watch-'));
  });
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** Stat every slot, then take each: which did not move. */
  const round = (w: PathWatch) => {
    w.refresh(0, w.size);
    return Array.from({ length: w.size }, (_, i) => w.take(i));
  };

  it('tells, per path, whether any field of its stat moved since the slot was last taken', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => join(dir, n));
    for (const p of [a, b, c, d]) writeFileSync(p!, 'x');
    // Paths the addon does not take (a NUL byte, longer than PATH_MAX) never rest either: their
    // services observe through Node every cycle.
    const odd = [`${a}\0hidden`, `${dir}/${'d/'.repeat(2100)}x`];
    const w = loadWatchPaths()!([a!, b!, c!, d!, join(dir, 'missing'), ...odd]);
    assert.deepEqual(round(w).slice(0, 5), [false, false, false, false, false], 'nothing seen yet');
    assert.deepEqual(round(w), [true, true, true, true, false, false, false], 'quiet; a missing path never rests');
    writeFileSync(a!, 'xy'); // size, mtime, ctime
    execFileSync('chmod', ['600', b!]); // mode and ctime only
    writeFileSync(join(dir, 'c2'), 'x');
    execFileSync('mv', [join(dir, 'c2'), c!]); // another inode, same size
    assert.deepEqual(round(w), [false, false, false, true, false, false, false]);
    assert.deepEqual(round(w), [true, true, true, true, false, false, false]);
  });

  it('keeps a move until its slot is taken, through later quiet batches', () => {
    const a = join(dir, 'a');
    writeFileSync(a, 'x');
    const w = loadWatchPaths()!([a]);
    round(w);
    round(w);
    writeFileSync(a, 'xyz');
    w.refresh(0, 1); // moved, not taken (its service was not due)
    w.refresh(0, 1); // quiet since
    assert.equal(w.take(0), false);
    assert.equal(w.take(0), true);
  });

  it('stats only the slots asked for, clamped to the end', () => {
    const paths = ['a', 'b', 'c'].map((n) => join(dir, n));
    for (const p of paths) writeFileSync(p, 'x');
    const w = loadWatchPaths()!(paths);
    assert.equal(w.refresh(1, 64), 2);
    assert.equal(w.refresh(3, 64), 0);
    // Slot 0 was never stat'ed: still moved; 1 and 2 were, then taken quiet the next time.
    w.take(1);
    w.take(2);
    w.refresh(1, 2);
    assert.deepEqual([w.take(0), w.take(1), w.take(2)], [false, true, true]);
  });

  it("with descriptors, also tells whether a kept file's content moved, and a new or missing descriptor", () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, n));
    for (const p of [a, b, c]) writeFileSync(p!, 'x');
    const content = join(dir, 'content');
    writeFileSync(content, 'state S ticks 10');
    const fd = openSync(content, 'r+');
    writeFileSync(join(dir, 'other'), 'state S ticks 99');
    const other = openSync(join(dir, 'other'), 'r');
    try {
      const w = loadWatchPaths()!([a!, b!, c!], true);
      w.setFd(0, fd); // a: its path and a kept file
      w.setFd(1, MISSING_FD); // b: needs one and has none
      // c: none to read (NO_FD), its path alone
      assert.deepEqual(round(w), [false, false, false], 'nothing seen yet');
      assert.deepEqual(round(w), [true, false, true], 'quiet; a missing descriptor never rests');
      // The same length, rewritten in place at offset 0: only the content says it moved.
      writeSync(fd, 'state R ticks 11', 0);
      assert.deepEqual(round(w), [false, false, true]);
      assert.deepEqual(round(w), [true, false, true]);
      w.setFd(0, fd);
      assert.equal(w.take(0), true, 'the same descriptor again changes nothing');
      w.setFd(0, other); // another process's file: moved, and read afresh
      assert.equal(w.take(0), false);
      assert.deepEqual(round(w), [false, false, true], 'its first read differs from nothing kept');
      assert.deepEqual(round(w), [true, false, true]);
      closeSync(other);
      assert.deepEqual(round(w), [false, false, true], 'a read that fails moves');
      // A content too long to keep (512 bytes with its length) is never taken for the same.
      writeFileSync(content, 'y'.repeat(600));
      w.setFd(0, fd);
      round(w);
      assert.deepEqual(round(w), [false, false, true]);
    } finally {
      closeSync(fd);
    }
  });

  it('refuses arguments it cannot use, with a TypeError', () => {
    const addon = loadStatAddon();
    assert.ok(!(addon instanceof Error));
    const raw = addon as unknown as { statBatch: (...args: unknown[]) => void; pathSet: (...args: unknown[]) => unknown };
    const one = raw.pathSet(['/']);
    assert.throws(() => raw.pathSet('/'), TypeError);
    assert.throws(() => raw.statBatch(one, 0, 2, new Float64Array(26), new Uint8Array(2)), TypeError);
    assert.throws(() => raw.statBatch(one, 0, 1, new Float64Array(12), new Uint8Array(1)), TypeError);
    // Only a set pathSet made: not the paths themselves, nor another addon's external.
    assert.throws(() => raw.statBatch(['/'], 0, 1, new Float64Array(13), new Uint8Array(1)), TypeError);
    assert.throws(() => raw.statBatch({}, 0, 1, new Float64Array(13), new Uint8Array(1)), TypeError);
    assert.throws(() => raw.statBatch(one, 0, 1, new Float64Array(13), new Uint8Array(1), new Int32Array(1), new Uint8Array(100)), TypeError);
    assert.throws(() => raw.statBatch(one, 0, 1, new Float64Array(13), new Uint8Array(1), new Uint8Array(1), new Uint8Array(512)), TypeError);
    const kept = new Float64Array(13);
    const moved = new Uint8Array(1);
    raw.statBatch(one, 0, 1, kept, moved);
    assert.equal(moved[0], 1);
    assert.equal(kept[2]! & 0o170000, 0o040000, 'the set holds the path: / stat\'ed as a directory');
  });

  it('is not offered without the addon', () => {
    assert.equal(loadWatchPaths(new Error('no addon')), undefined);
  });
});
