import { homedir } from 'node:os';
import { join } from 'node:path';

/** Monit's default pid file: `/run/…` as root, the home folder otherwise (reference A8). */
export function defaultPidfile(uid = process.getuid?.() ?? 0): string {
  return uid === 0 ? '/run/warden.pid' : join(homedir(), '.warden.pid');
}
