import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobOptions } from './job-options.js';
import { buildLaunch, type LaunchDeps } from './launch.js';

const deps: LaunchDeps = {
  user: (n) => (n === 'nobody' || n === '65534' ? { name: 'nobody', uid: 65534, gid: 65534 } : undefined),
  tool: (n) => `/usr/bin/${n}`,
};
const job = (o: Partial<JobOptions>): JobOptions => ({
  name: 'a', argv: ['/bin/sleep', '1'], env: [], ulimits: [], depends: [], disabled: false, wait: false, once: false, order: 0, ...o,
});

describe('buildLaunch', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-launch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the command as given, env on top, files relative to dir, stdin /dev/null by default', () => {
    const spec = buildLaunch(job({ env: ['A=1', 'A=x=y'], dir, out: 'o', err: '/e' }), deps);
    assert.deepEqual(spec, { argv: ['/bin/sleep', '1'], env: { A: 'x=y' }, cwd: dir, stdoutFile: join(dir, 'o'), stderrFile: '/e', stdinFile: '/dev/null' });
  });

  it('wraps limits, cpu, nice and the user switch in pmtr\'s order', () => {
    const spec = buildLaunch(job({ ulimits: [{ resource: 'nofile', value: 77 }, { resource: 'core', value: 'unlimited' }], cpu: '0', nice: getPriority() + 3, user: 'nobody' }), deps);
    assert.ok(typeof spec !== 'string');
    assert.deepEqual(spec.argv, [
      '/usr/bin/prlimit', '--nofile=77:77', '--core=unlimited:unlimited', '--',
      '/usr/bin/taskset', '-c', '0',
      '/usr/bin/nice', '-n', '3',
      '/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--init-groups', '--',
      '/bin/sleep', '1',
    ]);
  });

  it('resolves a relative program against dir, as execv after chdir would', () => {
    const spec = buildLaunch(job({ argv: ['sleep', '5'], dir: '/bin' }), deps);
    assert.ok(typeof spec !== 'string');
    assert.deepEqual(spec.argv, ['/bin/sleep', '5']);
  });

  it("says why a job cannot start, in pmtr's words", () => {
    assert.equal(buildLaunch(job({ argv: ['/nonexistent/x'] }), deps), "can't exec /nonexistent/x: No such file or directory");
    writeFileSync(join(dir, 'noexec'), '#!/bin/sh\n');
    chmodSync(join(dir, 'noexec'), 0o644);
    assert.equal(buildLaunch(job({ argv: [join(dir, 'noexec')] }), deps), `can't exec ${join(dir, 'noexec')}: Permission denied`);
    assert.equal(buildLaunch(job({ user: 'nosuchuser' }), deps), 'unknown user: nosuchuser');
    assert.equal(buildLaunch(job({ argv: [] }), deps), "can't exec (null): no cmd");
    assert.equal(buildLaunch(job({ user: 'nobody' }), { ...deps, tool: () => undefined }), "can't start: setpriv (util-linux) is not installed");
  });
});
