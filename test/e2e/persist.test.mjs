// Values that survive a restart: `if changed checksum` sees a change made while warden was down.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonsPerTest, readText, startWarden, stopChild, waitFor, writeControlFile } from './harness.mjs';

describe('values kept across a restart (e2e)', function () {
  this.timeout(30_000);
  let t;
  let handles;
  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  });

  it('runs `if changed checksum then exec` for a change made while warden was stopped', async () => {
    const target = join(t.dir, 'target');
    const ran = join(t.dir, 'ran');
    const state = join(t.dir, 'warden.state');
    const log = join(t.dir, 'warden.log');
    writeFileSync(target, 'before');
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${log}`,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      `set statefile ${state}`,
      `check file target with path ${target}`,
      `  if changed checksum then exec "/bin/sh -c 'echo $MONIT_EVENT >> ${ran}'"`,
      '',
    ].join('\n'));
    const first = startWarden(['-I', '-c', file]);
    handles.push(first);
    await waitFor(() => /changed md5 checksum#\d+/.test(readText(state)), 10_000, 'the digest in the state file');
    assert.equal((await stopChild(first)).code, 0);
    assert.equal(readText(ran), '', 'no change seen while running');

    writeFileSync(target, 'after');
    const second = startWarden(['-I', '-c', file]);
    handles.push(second);
    await waitFor(() => readText(ran).includes('Checksum changed'), 10_000, 'the exec of the change');
    assert.match(readText(log), /'target' checksum changed to [0-9a-f]{32}/);
    assert.equal((await stopChild(second)).code, 0);
    assert.equal(readText(ran).trim().split('\n').length, 1, 'one change, one exec');
  });
});
