import { hash } from 'node:crypto';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { SMALL_FILE_BYTES, type DigestSmallFile } from './context.js';

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
 * shared by every call (valid until the next one: hash it at once); undefined when it holds
 * more. `statSize` as {@link DigestSmallFile}'s. Throws the file system's error.
 */
function readSmallFileSync(path: string, statSize?: number): Buffer | undefined {
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

/**
 * {@link DigestSmallFile} through Node (`openSync`, `readSync`, `closeSync`, `crypto.hash`):
 * what core falls back to without its native addon, and what `@warden/sdk/testing` hands a probe.
 */
export const nodeDigestSmallFile: DigestSmallFile = (path, algorithm, statSize) => {
  const data = readSmallFileSync(path, statSize);
  return data === undefined ? undefined : hash(algorithm, data, 'hex');
};
