import assert from 'node:assert/strict';
import { ioRates, parseDiskstats } from './diskstats.js';
import { findMount, parseMountinfo } from './mountinfo.js';

const MOUNTINFO = [
  '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534',
  '42 27 0:39 / /tmp/with\\040space rw,relatime shared:1 - tmpfs tmpfs rw,size=8192k',
  '43 27 0:40 / /srv/nfs rw,relatime - nfs4 server:/export rw,vers=4.2',
  '44 27 0:41 / /tmp/with\\040space ro,relatime - tmpfs tmpfs ro,size=4k',
  'garbage line',
].join('\n');

describe('mountinfo', () => {
  const entries = parseMountinfo(MOUNTINFO);

  it('parses fields, unescapes octal and merges superblock options as Monit shows them', () => {
    assert.equal(entries.length, 4);
    assert.deepEqual(entries[0], {
      device: '254:0', mountPoint: '/', fsType: 'ext4', source: '/dev/vda',
      flags: 'rw,relatime,discard,resv_strict,resuid=65534,resgid=65534',
    });
    assert.equal(entries[1]!.mountPoint, '/tmp/with space');
    assert.equal(entries[1]!.flags, 'rw,relatime,size=8192k');
  });

  it('finds a mount by mount point (the last mount on a point wins), device or source', () => {
    assert.equal(findMount(entries, '/tmp/with space')?.flags, 'ro,relatime,size=4k');
    assert.equal(findMount(entries, '/dev/vda')?.mountPoint, '/');
    assert.equal(findMount(entries, '/dev/disk/by-uuid/x', '/dev/vda')?.mountPoint, '/');
    assert.equal(findMount(entries, 'server:/export')?.fsType, 'nfs4');
  });

  it('does not take a directory inside a filesystem for its mount', () => {
    assert.equal(findMount(entries, '/tmp'), undefined);
  });
});

describe('diskstats', () => {
  const text = [
    ' 254       0 vda 40290 10542 2134858 38684 7993 36181 1340384 7858 0 16364 48018 6961 37 140376 1450 518 24',
    '   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
  ].join('\n');

  it('reads counters by major:minor in bytes', () => {
    const d = parseDiskstats(text).get('254:0');
    assert.deepEqual(d, { readOps: 40290, readBytes: 2134858 * 512, readMs: 38684, writeOps: 7993, writeBytes: 1340384 * 512, writeMs: 7858 });
  });

  it('turns two samples into per-second rates and a service time', () => {
    const a = { readOps: 0, readBytes: 0, readMs: 0, writeOps: 0, writeBytes: 0, writeMs: 0 };
    const b = { readOps: 10, readBytes: 4096, readMs: 30, writeOps: 10, writeBytes: 2048, writeMs: 10 };
    assert.deepEqual(ioRates(a, b, 2), { readBytes: 2048, readOps: 5, writeBytes: 1024, writeOps: 5, serviceTimeMs: 2, readTimeMs: 3, writeTimeMs: 1 });
    assert.equal(ioRates(b, a, 1).readBytes, 0, 'a counter that went back reads as 0');
  });
});
