import { createHash, hash, type Hash } from 'node:crypto';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** The digests a checksum test can compute; Monit has the first two. */
export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

/** Hex length of each digest: how an `expect HASH` tells its algorithm. */
export const HEX_LENGTH: Readonly<Record<HashAlgorithm, number>> = { md5: 32, sha1: 40, sha256: 64 };

/** 1 MiB reads: large enough for full disk throughput, short enough (~2 ms of MD5) not to stall the loop. */
export const DEFAULT_BUFFER_BYTES = 1 << 20;

/**
 * Files up to this size are read whole ({@link readSmallFileSync}) and hashed synchronously:
 * at most ~0.5 ms of MD5, while the five thread-pool round trips of {@link hashFile} (open,
 * stat, two reads, close) cost a 4 KiB file ~150 µs of CPU, eight times Monit's whole check.
 */
export const SMALL_FILE_BYTES = 256 * 1024;

/** The one buffer small files are read into (hashing is synchronous: no two reads share it). */
let smallBuffer: Buffer | undefined;

/**
 * Views of {@link smallBuffer} by length: the same file read again is the same view, not a
 * new Buffer object per file and cycle. Bounded: emptied when it reaches {@link MAX_VIEWS}.
 */
const views = new Map<number, Buffer>();
const MAX_VIEWS = 256;

/**
 * The content of a file of at most {@link SMALL_FILE_BYTES}, read in one go into a buffer
 * shared by every call (valid until the next one: hash it at once); undefined when it turns
 * out larger (it grew since its stat: the caller streams it with {@link hashFile}).
 * `statSize`, the size its stat gave: a read that stops short exactly there is taken as the
 * end of the file, as Node's `readFileSync` trusts the size (one read(2) fewer per file and
 * cycle than reading on until one returns nothing); a file that grew meanwhile is read on.
 * Opened non-blocking, so a fifo put in its place cannot hang the daemon. Throws the file
 * system's error (`EACCES`, `EISDIR`, …).
 */
export function readSmallFileSync(path: string, statSize?: number): Buffer | undefined {
  const buf = (smallBuffer ??= Buffer.allocUnsafe(SMALL_FILE_BYTES + 1));
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let size = 0;
  try {
    for (;;) {
      const wanted = buf.length - size;
      const n = readSync(fd, buf, size, wanted, null);
      if (n === 0) break;
      size += n;
      if (size === buf.length) return undefined;
      if (n < wanted && size === statSize) break;
    }
  } finally {
    closeSync(fd);
  }
  let view = views.get(size);
  if (view === undefined) {
    if (views.size >= MAX_VIEWS) views.clear();
    view = buf.subarray(0, size);
    views.set(size, view);
  }
  return view;
}

/** The hex digest of `data` (one-shot: no Hash object). */
export function digestOf(algorithm: HashAlgorithm, data: Buffer): string {
  return hash(algorithm, data, 'hex');
}

/**
 * Hash a file with one or more algorithms in one pass; returns the hex digests in the order
 * asked. Two buffers alternate so the next read runs in the thread pool while this one is
 * hashed; memory is two buffers whatever the file's size. Checks `signal` between reads.
 * Rejects with the file system's error (`EACCES`, `EISDIR`, …).
 */
export async function hashFile(
  path: string,
  algorithms: readonly HashAlgorithm[],
  signal?: AbortSignal,
  bufferBytes = DEFAULT_BUFFER_BYTES,
): Promise<string[]> {
  const hashes: Hash[] = algorithms.map((a) => createHash(a));
  const fh = await open(path, 'r');
  // No larger than the file (+1 to see its end in one read): hashing 5000 small files must
  // not allocate 10 GB of 1 MiB buffers for the garbage collector.
  const size = (await fh.stat()).size;
  bufferBytes = Math.max(4096, Math.min(bufferBytes, size + 1));
  const buffers = [Buffer.allocUnsafe(bufferBytes), Buffer.allocUnsafe(bufferBytes)];
  let pos = 0;
  let turn = 0;
  let pending = fh.read(buffers[0]!, 0, bufferBytes, pos);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      pos += bytesRead;
      const current = buffers[turn]!;
      turn ^= 1;
      pending = fh.read(buffers[turn]!, 0, bufferBytes, pos);
      const chunk = bytesRead === bufferBytes ? current : current.subarray(0, bytesRead);
      for (const h of hashes) h.update(chunk);
    }
  } finally {
    // A read may still be in flight after an abort: let it settle before closing.
    await pending.catch(() => undefined);
    await fh.close();
  }
  return hashes.map((h) => h.digest('hex'));
}
