import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { alive, PidWatch } from './pid-watch.js';

describe('PidWatch', function () {
  this.timeout(5000);

  it('tells a live pid from a gone one', () => {
    assert.equal(alive(process.pid), true);
    assert.equal(alive(4_194_000), false);
  });

  it('reports a watched process once, soon after it dies, and stops its timer when nothing is watched', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const deaths: Array<[string, number]> = [];
    const watch = new PidWatch((name, pid) => deaths.push([name, pid]), 10);
    watch.set('svc', child.pid);
    watch.set('me', process.pid);
    const killed = Date.now();
    child.kill('SIGKILL');
    for (let i = 0; i < 200 && deaths.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(deaths, [['svc', child.pid]]);
    assert.ok(Date.now() - killed < 500);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(deaths.length, 1, 'reported once');
    watch.set('me', undefined);
    watch.close();
  });
});
