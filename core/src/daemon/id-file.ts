import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Monit's default id file: `~/.monit.id` (reference A9); warden's is `~/.warden.id`. */
export function defaultIdFile(): string {
  return join(homedir(), '.warden.id');
}

/** The daemon's unique id (32 hex digits), created in the id file on first use. */
export function readOrCreateId(path: string): string {
  try {
    const id = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f]{32}$/.test(id)) return id;
  } catch {
    // first run: create it below
  }
  const id = randomBytes(16).toString('hex');
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${id}\n`, { mode: 0o600 });
  } catch {
    // an unwritable id file only costs a stable id across restarts
  }
  return id;
}
