import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeDigestSmallFile, SMALL_FILE_BYTES, type DigestSmallFile } from '@warden/sdk';
import { loadDigestSmallFile, loadStatAddon } from './stat-path.js';

/** What `digest` answers: the digest (or undefined), or the error it threw (code and message). */
function answer(digest: DigestSmallFile, ...args: Parameters<DigestSmallFile>): unknown {
  try {
    return { hex: digest(...args) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { code: e.code, message: e.message };
  }
}

/** The digest coreutils' `md5sum` / `sha1sum` / `sha256sum` print for a file. */
const tool = (cmd: string, file: string) => execFileSync(cmd, [file], { encoding: 'utf8' }).split(' ')[0];

const implementations: [string, () => DigestSmallFile][] = [
  ['core (native addon)', () => {
    const addon = loadStatAddon();
    // npm ci builds it (core/native/build.mjs): without it this suite would test Node twice.
    assert.ok(!(addon instanceof Error), `core/dist/native/stat.node did not load: ${String(addon)}`);
    const digest = loadDigestSmallFile(addon);
    assert.notEqual(digest, nodeDigestSmallFile);
    return digest;
  }],
  ['the sdk (through Node)', () => nodeDigestSmallFile],
];

for (const [name, load] of implementations) {
  describe(`digestSmallFile: ${name}`, () => {
    let dir: string;
    let digest: DigestSmallFile;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'warden-digest-'));
      digest = load();
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('gives the digests coreutils gives, up to exactly the limit, and says when a file holds more', () => {
      const cases: [string, Buffer | string][] = [
        ['empty', ''],
        ['config', 'set daemon 30\ncheck file x with path /etc/x\n'],
        ['page', Buffer.alloc(4096, 0x5a)],
        ['odd', Buffer.alloc(4097, 0xa5)],
        ['limit', Buffer.alloc(SMALL_FILE_BYTES, 1)],
      ];
      for (const [file, content] of cases) {
        const path = join(dir, file);
        writeFileSync(path, content);
        const size = Buffer.byteLength(content);
        assert.equal(digest(path, 'md5', size), tool('md5sum', path), `${file} md5`);
        assert.equal(digest(path, 'sha1', size), tool('sha1sum', path), `${file} sha1`);
        assert.equal(digest(path, 'sha256', size), tool('sha256sum', path), `${file} sha256`);
        assert.equal(digest(path, 'md5'), tool('md5sum', path), `${file} without its size`);
      }
      const over = join(dir, 'over');
      writeFileSync(over, Buffer.alloc(SMALL_FILE_BYTES + 1, 1));
      assert.equal(digest(over, 'md5', SMALL_FILE_BYTES + 1), undefined);
      const grown = join(dir, 'grown');
      writeFileSync(grown, Buffer.alloc(SMALL_FILE_BYTES * 2, 1));
      assert.equal(digest(grown, 'md5', 10), undefined, 'stat said 10 bytes, it holds 512 KiB');
    });

    it('reads on past the size its stat gave when the file grew since', () => {
      const file = join(dir, 'grew');
      writeFileSync(file, 'grown to twenty bytes');
      assert.equal(digest(file, 'md5', 5), tool('md5sum', file));
      assert.equal(digest(file, 'md5', 21), tool('md5sum', file));
    });

    it('never waits on a fifo, and stops where the stat said a fifo with a writer ends', () => {
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      assert.equal(digest(fifo, 'md5', 0), 'd41d8cd98f00b204e9800998ecf8427e', 'no writer: empty, at once');
      const writer = openSync(fifo, constants.O_RDWR);
      try {
        writeSync(writer, 'hello');
        // A second read would fail (EAGAIN): only a read that stops at the stat's size answers.
        assert.equal(digest(fifo, 'md5', 5), '5d41402abc4b2a76b9719d911017c592');
        writeSync(writer, 'hello');
        assert.deepEqual(answer(digest, fifo, 'md5'), { code: 'EAGAIN', message: 'EAGAIN: resource temporarily unavailable, read' }, 'without the size it reads on');
      } finally {
        closeSync(writer);
      }
    });

    it("throws Node's own errors, with their code and message", () => {
      const missing = join(dir, 'missing');
      assert.deepEqual(answer(digest, missing, 'md5', 0), { code: 'ENOENT', message: `ENOENT: no such file or directory, open '${missing}'` });
      assert.deepEqual(answer(digest, dir, 'md5', 4096), { code: 'EISDIR', message: 'EISDIR: illegal operation on a directory, read' });
      // A path no system call takes (a NUL byte): Node's argument error, from either.
      assert.match(String((answer(digest, `${dir}/a\0b`, 'md5', 0) as { code: string }).code), /^ERR_INVALID_ARG/);
    });
  });
}
