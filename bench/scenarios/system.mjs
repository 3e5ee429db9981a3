// `check system` (one service) and `check filesystem` over a few filesystems.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mountTmpfs, unmount } from '../lib/mount.mjs';

/** The system service with the usual resource tests. */
export const system = {
  name: 'system',
  title: 'check system (loadavg, cpu, memory, swap)',
  kind: 'cycle',
  family: 'system',
  sizes: { full: [1], quick: [1] },
  fixedSize: true, // Monit allows one system service
  requires: ['service-type:system', 'test:system.loadavg', 'test:system.cpu', 'test:system.memory', 'test:system.swap'],
  setup() {
    return {
      body: [
        'check system bench_system',
        '  if loadavg (1min) > 50 then alert',
        '  if cpu usage (user) > 99% for 5 cycles then alert',
        '  if memory usage > 99% then alert',
        '  if swap usage > 99% then alert',
        '',
      ],
    };
  },
};

/** N filesystem services spread over a few filesystems: / and /dev/shm, plus two tmpfs the bench mounts (root only). */
export const filesystem = {
  name: 'filesystem',
  title: 'check filesystem … if space usage, if inode usage (4 filesystems, N services)',
  kind: 'cycle',
  family: 'filesystem',
  sizes: { full: [100, 1000], quick: [4] },
  requires: ['service-type:filesystem', 'test:filesystem.space', 'test:filesystem.inode'],
  setup(dir, n) {
    const mounts = ['/', '/dev/shm'].filter((m) => existsSync(m));
    const own = process.getuid() === 0 ? [join(dir, 'tmpfs-a'), join(dir, 'tmpfs-b')] : [];
    for (const m of own) mountTmpfs(m, 8);
    mounts.push(...own);
    const body = [];
    for (let i = 0; i < n; i++) {
      body.push(`check filesystem fs${i} with path ${mounts[i % mounts.length]}`, '  if space usage > 99% then alert', '  if inode usage > 99% then alert', '');
    }
    return { body, note: `filesystems: ${mounts.join(' ')}`, cleanup: () => own.forEach(unmount) };
  },
};
