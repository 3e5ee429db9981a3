import assert from 'node:assert/strict';
import { cpuUsage, parseCpuTimes, parseFileNr, parseLoadavg, parseMeminfo, parseUptime } from './proc.js';

describe('/proc parsers', () => {
  it('reads load averages, uptime and file handles', () => {
    assert.deepEqual(parseLoadavg('0.64 0.85 0.53 4/96 24553\n'), [0.64, 0.85, 0.53]);
    assert.equal(parseLoadavg('garbage'), undefined);
    assert.equal(parseUptime('1236.28 1998.52\n'), 1236.28);
    assert.deepEqual(parseFileNr('565\t0\t2466170\n'), { allocated: 565, maximum: 2466170 });
  });

  it('computes CPU usage like Monit: guest out of user, total without guest, backwards counters as 0', () => {
    const a = parseCpuTimes('cpu  100 10 50 800 20 0 5 5 10 0\ncpu0 1 2 3 4\n')!;
    const b = parseCpuTimes('cpu  160 10 70 880 10 0 10 5 30 0\n')!;
    // total delta = 60 + 0 + 20 + 80 + (-10) + 0 + 5 + 0 = 155
    const u = cpuUsage(a, b)!;
    assert.equal(u.user.toFixed(3), ((40 / 155) * 100).toFixed(3), 'user minus guest');
    assert.equal(u.system.toFixed(3), ((20 / 155) * 100).toFixed(3));
    assert.equal(u.wait, 0, 'iowait went backwards');
    assert.equal(u.guest.toFixed(3), ((20 / 155) * 100).toFixed(3));
    assert.equal(cpuUsage(a, a), undefined, 'no time passed');
    assert.deepEqual(parseCpuTimes('cpu 1 2 3 4'), { user: 1, nice: 2, system: 3, idle: 4, iowait: 0, hardirq: 0, softirq: 0, steal: 0, guest: 0, guestnice: 0 });
  });

  it('uses MemAvailable when present, else MemFree + Buffers + Cached + SReclaimable', () => {
    const modern = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\nBuffers: 50 kB\nCached: 200 kB\nSwapTotal: 400 kB\nSwapFree: 300 kB\nSReclaimable: 10 kB\n');
    assert.deepEqual(modern, { memoryTotal: 1000 * 1024, memoryUsed: 400 * 1024, swapTotal: 400 * 1024, swapUsed: 100 * 1024 });
    const old = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\nSwapCached: 7 kB\nSReclaimable: 10 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n');
    assert.equal(old?.memoryUsed, (1000 - 360) * 1024);
    assert.equal(old?.swapUsed, 0);
    assert.equal(parseMeminfo('nothing'), undefined);
  });
});
