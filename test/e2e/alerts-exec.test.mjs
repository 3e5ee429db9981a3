// `exec "…" repeat every N cycles` end to end: the action runs on the failure, again every N
// cycles while it lasts (no mail repeated), and the program's output reaches the log, bounded.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtp } from './alerts-peers.mjs';
import { readText, startWarden, stopChild, tempDir, waitFor, writeControlFile } from './harness.mjs';

describe('alerts: exec repeat', function () {
  this.timeout(30_000);
  let t;
  let h;
  let smtp;
  beforeEach(() => (t = tempDir('warden-exec-')));
  afterEach(async () => {
    if (h) await stopChild(h, 'SIGKILL');
    await smtp?.close();
    t.cleanup();
  });

  it('runs again every 2 cycles while the failure lasts, logs its output, and mails once', async () => {
    smtp = await startSmtp();
    const runs = join(t.dir, 'runs');
    const hook = join(t.dir, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\necho "$MONIT_EVENT" >> ${runs}\necho "hook says hello $(head -c 2000 /dev/zero | tr '\\\\0' x)"\n`);
    chmodSync(hook, 0o755);
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1', `set log ${join(t.dir, 'warden.log')}`, `set pidfile ${join(t.dir, 'warden.pid')}`, `set statefile ${join(t.dir, 'warden.state')}`,
      `set mailserver 127.0.0.1 port ${smtp.port}`, 'set alert ops@example.com but not on { instance }',
      `check file gone with path ${join(t.dir, 'missing')}`, `  if does not exist then exec "${hook}" repeat every 2 cycles`, '',
    ].join('\n'));
    h = startWarden(['-I', '-v', '-c', file]);
    await waitFor(() => readText(runs).split('\n').filter(Boolean).length >= 3, 15_000, 'three runs');
    const log = readText(join(t.dir, 'warden.log'));
    const times = log.split('\n').filter((l) => /'gone' exec: '/.test(l)).map((l) => Date.parse(l.slice(1, 25).replace(/(\d{2})(\d{2})\]?$/, '$1:$2')));
    assert.ok(times.length >= 3);
    assert.ok(times[2] - times[0] >= 3000, 'every 2 cycles, not every cycle');
    assert.deepEqual([...new Set(readText(runs).split('\n').filter(Boolean))], ['Does not exist']);
    const out = log.split('\n').find((l) => /hook says hello/.test(l));
    assert.ok(out, 'the output is in the log');
    assert.ok(out.length < 700, `bounded (${out.length} characters)`);
    assert.equal(smtp.matching(/Does not exist gone/).length, 1, 'the repeat does not mail again');
  });
});
