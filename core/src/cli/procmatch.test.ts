import assert from 'node:assert/strict';
import { listProcesses, procmatch, type ListedProcess } from './procmatch.js';

const procs: ListedProcess[] = [
  { pid: 19407, ppid: 1, start: 100, zombie: false, command: '/bin/sh /tmp/mr/svc.sh' },
  { pid: 19408, ppid: 19407, start: 101, zombie: false, command: 'sleep 1 /tmp/mr/svc.sh' },
  { pid: 5, ppid: 1, start: 1, zombie: false, command: 'init' },
];

describe('procmatch', () => {
  it('prints Monit\'s list, marking the process a check would follow', () => {
    const r = procmatch(['svc.sh'], () => procs, 1);
    assert.equal(r.code, 0);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'List of processes matching pattern "svc.sh":');
    assert.equal(lines[1], '    PID       PPID      Command                                            ');
    assert.equal(lines[2], ' *     19407         1  /bin/sh /tmp/mr/svc.sh                             ');
    assert.equal(lines[3], '       19408     19407  sleep 1 /tmp/mr/svc.sh                             ');
    assert.equal(lines[4], 'Total matches: 2');
    assert.match(r.out, /WARNING:\nMultiple processes match the pattern/);
  });

  it('prints no table without a match, and Monit\'s usage without a pattern', () => {
    assert.equal(procmatch(['nothing'], () => procs, 1).out, 'List of processes matching pattern "nothing":\nTotal matches: 0\n');
    assert.deepEqual(procmatch([], () => procs), { code: 1, out: '', err: 'Invalid syntax - usage: procmatch "<pattern>"\n' });
    assert.equal(procmatch(['('], () => procs).code, 1);
  });

  it('reads the real process list, never matching itself', () => {
    const all = listProcesses();
    assert.ok(all.some((p) => p.pid === process.pid));
    const r = procmatch([String(process.argv[1]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')]);
    assert.doesNotMatch(r.out, new RegExp(`^ .\\s+${process.pid} `, 'm'));
  });
});
