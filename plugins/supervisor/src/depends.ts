import { createHash } from 'node:crypto';
import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { JobOptions } from './job-options.js';
import { jobPath } from './launch.js';

/** pmtr reads dependency files whole, up to this size. */
export const MAX_DEPEND_BYTES = 10 * 1024 * 1024;
/** Edits closer together than this are one change (pmtr waits 0.5 s too). */
export const DEBOUNCE_MS = 500;

/** A dependency that cannot be read, in pmtr's words. */
export interface MissingDepend {
  readonly path: string;
  readonly error: string;
}

/**
 * One hash of the content of every `depends` file, in order; or the first that cannot be
 * read: `can't open PATH: No such file or directory`, `PATH: file too large (N bytes)`.
 * Unlike pmtr's 32-bit sum, a SHA-1 sees every change (a prepended NUL byte too).
 */
export function hashDepends(options: JobOptions): string | MissingDepend {
  const hash = createHash('sha1');
  for (const dep of options.depends) {
    const path = jobPath(options, dep);
    try {
      const size = statSync(path).size;
      if (size > MAX_DEPEND_BYTES) return { path: dep, error: `${path}: file too large (${size} bytes)` };
      hash.update(readFileSync(path)).update('\0');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : (err as Error).message;
      return { path: dep, error: `can't open ${path}: ${why}` };
    }
  }
  return hash.digest('hex');
}

/**
 * Watch the folders holding the dependencies (so a file replaced by rename, deleted or
 * created again is seen, which pmtr's per-file inotify watch misses) and call `onChange`
 * once per burst of events. Returns the function that stops watching.
 */
export function watchDepends(options: JobOptions, onChange: () => void): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const dep of options.depends) {
    const path = jobPath(options, dep);
    const names = byDir.get(dirname(path)) ?? new Set<string>();
    names.add(basename(path));
    byDir.set(dirname(path), names);
  }
  return debouncedWatch(byDir, onChange);
}

/** Watch `names` in each folder; `onChange` once per burst. The result stops watching. */
export function debouncedWatch(byDir: ReadonlyMap<string, ReadonlySet<string>>, onChange: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, DEBOUNCE_MS);
    timer.unref();
  };
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, file) => {
        if (file === null || names.has(String(file))) fire();
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // A folder that does not exist: the file is reported missing by the hash.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
