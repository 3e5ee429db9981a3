import { readFileSync } from 'node:fs';

/**
 * This process's soft `RLIMIT_NOFILE` (Node raises it to the hard limit at start), from
 * /proc/self/limits; undefined when /proc cannot tell or it is unlimited. Plugins that keep
 * descriptors open between cycles budget a share of it, so the daemon never runs out.
 */
export function softFdLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'latin1').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.slice('Max open files'.length).trim().split(/\s+/)[0]);
    return Number.isFinite(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}
