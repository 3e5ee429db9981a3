/** One line of `/proc/self/mountinfo` (proc(5)), the parts a filesystem check needs. */
export interface MountEntry {
  /** `major:minor` of the device, the key into `/proc/diskstats`. */
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  /** The mount source: `/dev/vda1`, `tmpfs`, `server:/export`. */
  readonly source: string;
  /** Per-mount options then the superblock options not already listed, as Monit shows them. */
  readonly flags: string;
}

/** Undo the kernel's octal escapes in mountinfo fields (`\040` is a space). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parse the text of `/proc/self/mountinfo`; malformed lines are skipped. */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (dash < 0 || fields.length < dash + 3) continue;
    const mountOptions = fields[5]!.split(',');
    const superOptions = (fields[dash + 3] ?? '').split(',').filter((o) => o !== '' && !mountOptions.includes(o));
    entries.push({
      device: fields[2]!,
      mountPoint: unescape(fields[4]!),
      fsType: fields[dash + 1]!,
      source: unescape(fields[dash + 2]!),
      flags: [...mountOptions, ...superOptions].join(','),
    });
  }
  return entries;
}

/**
 * The mount a filesystem service names: its path is a mount point, or the mount source (a
 * block device, `server:/export`). The last match wins, as the last mount on a point hides
 * the ones under it. A directory that is not itself a mount point matches nothing: it is
 * the filesystem "not mounted" case.
 */
export function findMount(entries: readonly MountEntry[], path: string, realPath?: string): MountEntry | undefined {
  const candidates = realPath && realPath !== path ? [path, realPath] : [path];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (candidates.includes(e.mountPoint)) return e;
  }
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (candidates.includes(e.source)) return e;
  }
  return undefined;
}
