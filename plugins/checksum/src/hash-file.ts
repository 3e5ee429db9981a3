import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { DigestAlgorithm } from '@warden/sdk';

/** Hex length of each digest: how an `expect HASH` tells its algorithm. */
export const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { md5: 32, sha1: 40, sha256: 64 };

/** 1 MiB reads: large enough for full disk throughput, short enough (~2 ms of MD5) not to stall the loop. */
export const DEFAULT_BUFFER_BYTES = 1 << 20;

/**
 * Hash a file with one or more algorithms in one pass; returns the hex digests in the order
 * asked. Two buffers alternate so the next read runs in the thread pool while this one is
 * hashed; memory is two buffers whatever the file's size. Checks `signal` between reads.
 * Rejects with the file system's error (`EACCES`, `EISDIR`, …).
 */
export async function hashFile(
  path: string,
  algorithms: readonly DigestAlgorithm[],
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
