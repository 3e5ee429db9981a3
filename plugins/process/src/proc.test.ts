import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, findMatching, isGone, parseIds, parseStat, parseStatBytes, readStat, scanProcesses, type ProcessTable, type ProcStat } from './proc.js';
import { readPidfile } from './pidfile.js';

const STAT = '4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 120 0 0 0 7 3 0 0 20 0 2 0 555 10000000 300 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

describe('process /proc parsing', () => {
  it('reads stat fields after the last parenthesis of the command name', () => {
    assert.deepEqual(parseStat(STAT), { pid: 4242, ppid: 1, state: 'S', cpuTicks: 10, threads: 2, startTicks: 555, rss: 300 * 4096 });
    assert.equal(parseStat('garbage'), undefined);
    assert.equal(parseStat('1 (x) S 1'), undefined);
  });

  it('reads the fields in place, past negative ones, and refuses a cut or a garbled line', () => {
    // A real-time process: priority -51 and tpgid -1 sit between the fields read.
    const rt = '77 (rt) R 2 0 0 0 -1 69238880 0 0 0 0 12 34 0 0 -51 0 5 0 999 0 7 18446744073709551615';
    assert.deepEqual(parseStatBytes(Buffer.from(rt), rt.length), { pid: 77, ppid: 2, state: 'R', cpuTicks: 46, threads: 5, startTicks: 999, rss: 7 * 4096 });
    const buf = Buffer.from(STAT);
    assert.equal(parseStatBytes(buf, buf.length)?.rss, 300 * 4096);
    assert.equal(parseStatBytes(buf, STAT.indexOf(' 555 ')), undefined, 'cut before the start time');
    assert.equal(parseStat(STAT.replace(' 7 3 ', ' 7 x ')), undefined);
    assert.equal(parseStat(STAT.replace(' 7 3 ', ' 7  3 ')), undefined);
    assert.equal(parseStat('(x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21'), undefined, 'no pid');
  });

  it('reads real, effective uid and gid from status', () => {
    assert.deepEqual(parseIds('Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t100\t100\t100\t100\n'), { uid: 1000, euid: 0, gid: 100 });
    assert.equal(parseIds('Name: x\n'), undefined);
  });

  it('counts a zombie or a missing process as gone', () => {
    assert.equal(isGone(undefined), true);
    assert.equal(isGone({ ...parseStat(STAT)!, state: 'Z' }), true);
    assert.equal(isGone(parseStat(STAT)), false);
  });

  it('reads its own process and finds it in a full scan', () => {
    const me = readStat(process.pid)!;
    assert.equal(me.pid, process.pid);
    assert.equal(me.ppid, process.ppid);
    assert.ok(me.threads >= 1 && me.rss > 0);
    const table = scanProcesses();
    assert.ok(table.procs.has(process.pid));
    assert.ok(table.children.get(process.ppid)!.includes(process.pid));
  });
});

function table(rows: Array<[number, number, number]>): ProcessTable {
  const procs = new Map<number, ProcStat>();
  const children = new Map<number, number[]>();
  for (const [pid, ppid, start] of rows) {
    procs.set(pid, { pid, ppid, state: 'S', cpuTicks: 0, threads: 1, startTicks: start, rss: 0 });
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  return { procs, children };
}

describe('process tree and matching', () => {
  const t = table([[1, 0, 0], [10, 1, 50], [11, 10, 60], [12, 11, 70], [20, 1, 40], [30, 1, 30]]);
  const cmd: Record<number, string> = { 1: 'init', 10: 'odoo.py', 11: 'odoo.py worker', 12: 'sh', 20: 'odoo.py --other', 30: 'bash' };

  it('counts the whole tree below a process', () => {
    assert.deepEqual(descendants(t, 10).sort(), [11, 12]);
    assert.deepEqual(descendants(t, 12), []);
  });

  it('picks the top-most match running the longest, never itself', () => {
    const found = findMatching(t, /odoo\.py/, 99, (p) => cmd[p]);
    assert.deepEqual(found.matches.sort(), [10, 11, 20]);
    assert.equal(found.pick, 20, 'pid 20 started before pid 10; 11 has a matching parent');
    assert.equal(findMatching(t, /odoo\.py/, 20, (p) => cmd[p]).pick, 10);
    assert.equal(findMatching(t, /nothing/, 99, (p) => cmd[p]).pick, undefined);
  });
});

describe('process pidfiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-process-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a pid, and names a missing file or garbage', () => {
    const f = join(dir, 'x.pid');
    assert.match(readPidfile(f).reason!, /^pidfile '.*x\.pid' does not exist$/);
    writeFileSync(f, '1234\n');
    assert.deepEqual(readPidfile(f), { pid: 1234 });
    for (const bad of ['abc', '12 34', '-5', '0', '', '99999999999']) {
      writeFileSync(f, bad);
      assert.match(readPidfile(f).reason!, /does not contain a valid pid/, bad);
    }
  });
});
