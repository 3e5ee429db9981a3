// `check file` scenarios: N real 4 KiB files, hashed every cycle or only stat()ed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function makeFiles(dir, n) {
  const folder = join(dir, 'files');
  mkdirSync(folder, { recursive: true });
  const paths = [];
  for (let i = 0; i < n; i++) {
    const p = join(folder, `f${i}`);
    writeFileSync(p, randomBytes(4096));
    paths.push(p);
  }
  return paths;
}

/**
 * `if changed checksum` on N files (MD5, both daemons' default). warden rehashes a file only
 * when its stat moved; Monit hashes every file every cycle. The `paranoid` variant (warden
 * only, at 5000: `checksum paranoid`) hashes every cycle too and is compared with the same
 * Monit runs.
 */
export const fileChecksum = {
  name: 'file-checksum',
  title: 'check file … if changed checksum (N files of 4 KiB)',
  kind: 'cycle',
  family: 'file',
  sizes: { full: [100, 1000, 5000], quick: [100] },
  variants: { paranoid: { sizes: [5000], title: 'warden with `if changed checksum paranoid`: hashes every file every cycle, as Monit does' } },
  requires: ['service-type:file', 'test:checksum.checksum'],
  setup(dir, n) {
    const body = [];
    const paranoid = [];
    makeFiles(dir, n).forEach((p, i) => {
      body.push(`check file f${i} with path ${p}`, '  if changed checksum then alert', '');
      paranoid.push(`check file f${i} with path ${p}`, '  if changed checksum paranoid then alert', '');
    });
    return { body, variants: { paranoid } };
  },
};

/** `if changed timestamp` + `if size > 1 MB` on N files: stat only. */
export const fileStat = {
  name: 'file-stat',
  title: 'check file … if changed timestamp, if size > 1 MB (N files)',
  kind: 'cycle',
  family: 'file',
  sizes: { full: [100, 1000, 5000], quick: [100] },
  requires: ['service-type:file', 'test:file.timestamp', 'test:file.size'],
  setup(dir, n) {
    const body = [];
    makeFiles(dir, n).forEach((p, i) =>
      body.push(`check file f${i} with path ${p}`, '  if changed timestamp then alert', '  if size > 1 MB then alert', ''),
    );
    return { body };
  },
};
