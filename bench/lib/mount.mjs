// tmpfs mounts the bench makes (root only) and always unmounts, by path.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const mounted = new Set();

/** Mount a tmpfs of `sizeMb` on `path` (created); throws when not root. */
export function mountTmpfs(path, sizeMb) {
  if (process.getuid() !== 0) throw new Error('mounting a tmpfs needs root');
  mkdirSync(path, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', path]);
  mounted.add(path);
}

/** Unmount `path` if the bench mounted it (lazily if busy). */
export function unmount(path) {
  if (!mounted.has(path)) return;
  try {
    execFileSync('umount', [path]);
  } catch {
    execFileSync('umount', ['-l', path]);
  }
  mounted.delete(path);
}

/** Unmount everything still mounted (the bench's exit path). */
export function unmountAll() {
  for (const p of [...mounted]) {
    try {
      unmount(p);
    } catch (err) {
      process.stderr.write(`bench: could not unmount ${p}: ${err.message}\n`);
    }
  }
}
