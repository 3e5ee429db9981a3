import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSpawnAddon } from '../daemon/reaper.js';
import { ProcessSpawner } from './spawner.js';

/** Absolute, as Monit's programs are: the native spawn takes only absolute paths. */
const SH = '/bin/sh';

/** True once `pid` is gone or a zombie waiting for init. */
function dead(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitDead(pid: number, ms = 3000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 20) {
    if (dead(pid)) return true;
    await sleep(20);
  }
  return dead(pid);
}

const isRoot = process.getuid?.() === 0;

for (const backend of ['posix_spawn (native addon)', "Node's spawn"] as const) describe(`ProcessSpawner through ${backend}`, function () {
  this.timeout(15000);
  const addon = backend === "Node's spawn" ? undefined : loadSpawnAddon();
  let nativeRuns = 0;
  const native = addon && { ...addon, spawn: (...args: Parameters<typeof addon.spawn>) => (nativeRuns++, addon.spawn(...args)) };
  if (backend !== "Node's spawn") {
    before(() => assert.ok(addon, 'the native addon (core/native/build.mjs) has spawn and waitStatus'));
    after(() => assert.ok(nativeRuns >= 15, `${nativeRuns} runs through the addon`));
  }
  const spawner = new ProcessSpawner({ native: native ?? false });
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'warden-exec-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports exit status and both streams, stderr first', async () => {
    const r = await spawner.run({ argv: [SH, '-c', 'echo disk warning on sda; echo stderr line >&2; exit 2'] });
    assert.equal(r.status, 2);
    assert.equal(r.signal, null);
    assert.equal(r.stdout, 'disk warning on sda\n');
    assert.equal(r.stderr, 'stderr line\n');
    assert.equal(r.output, 'stderr line\ndisk warning on sda\n');
    assert.equal(r.timedOut, false);
    assert.equal(r.spawnError, undefined);
    assert.ok(typeof r.pid === 'number' && r.pid > 0);
    assert.ok(r.durationMs >= 0);
    assert.equal((await spawner.run({ argv: ['/bin/true'] })).status, 0);
  });

  it('puts a line break between stderr and stdout when stderr lacks one', async () => {
    const r = await spawner.run({ argv: [SH, '-c', 'printf out; printf err >&2'] });
    assert.equal(r.output, 'err\nout');
  });

  it('passes arguments without a shell', async () => {
    const r = await spawner.run({ argv: ['/usr/bin/printf', '%s|', 'a b', '$HOME', '; rm -rf /'] });
    assert.equal(r.stdout, 'a b|$HOME|; rm -rf /|');
  });

  it('keeps at most outputLimit bytes of each stream but drains the rest', async () => {
    const r = await spawner.run({
      argv: [SH, '-c', 'head -c 1000000 /dev/zero | tr "\\0" a; head -c 300 /dev/zero | tr "\\0" b >&2; exit 7'],
      outputLimit: 100,
    });
    assert.equal(r.status, 7);
    assert.equal(r.stdout, 'a'.repeat(100));
    assert.equal(r.stderr, 'b'.repeat(100));
    assert.equal(r.output, `${'b'.repeat(100)}\n${'a'.repeat(100)}`);
    const d = await spawner.run({ argv: [SH, '-c', 'head -c 5000 /dev/zero | tr "\\0" x'] });
    assert.equal(d.stdout.length, 512);
  });

  it('does not split a UTF-8 character at the limit', async () => {
    const r = await spawner.run({ argv: ['/usr/bin/printf', 'aé'], outputLimit: 2 });
    assert.equal(r.stdout, 'a');
  });

  it('kills a program at its timeout', async () => {
    const r = await spawner.run({ argv: ['/bin/sleep', '30'], timeoutMs: 200 });
    assert.equal(r.timedOut, true);
    assert.equal(r.status, null);
    assert.equal(r.signal, 'SIGTERM');
    assert.ok(r.durationMs < 3000, `took ${r.durationMs} ms`);
    assert.ok(await waitDead(r.pid!));
  });

  it('kills the whole process group at the timeout', async () => {
    const r = await spawner.run({ argv: [SH, '-c', 'sleep 30 & echo $!; wait'], timeoutMs: 300 });
    assert.equal(r.timedOut, true);
    const grandchild = Number(r.stdout.trim());
    assert.ok(grandchild > 0);
    assert.ok(await waitDead(grandchild), `sleep ${grandchild} survived`);
  });

  it('sends KILL after the grace period when TERM is ignored', async () => {
    const quick = new ProcessSpawner({ killGraceMs: 200, native: native ?? false });
    const r = await quick.run({ argv: [SH, '-c', 'trap "" TERM; sleep 30 & echo $!; wait'], timeoutMs: 200 });
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(r.durationMs < 5000);
    assert.ok(await waitDead(Number(r.stdout.trim())));
  });

  it('kills the program when its signal aborts', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await spawner.run({ argv: [SH, '-c', 'sleep 30 & echo $!; wait'], signal: ac.signal });
    assert.equal(r.timedOut, false);
    assert.equal(r.signal, 'SIGTERM');
    assert.equal(r.status, null);
    assert.ok(await waitDead(Number(r.stdout.trim())));
  });

  it('does not start a program whose signal already aborted', async () => {
    const r = await spawner.run({ argv: ['/bin/true'], signal: AbortSignal.abort() });
    assert.equal(r.pid, undefined);
    assert.match(r.spawnError!, /'\/bin\/true' not started -- aborted/);
  });

  it('resolves with spawnError when the program does not exist', async () => {
    const r = await spawner.run({ argv: ['/nonexistent/bin/prog', 'x'] });
    assert.equal(r.status, null);
    assert.equal(r.pid, undefined);
    assert.equal(r.spawnError, "cannot execute '/nonexistent/bin/prog' -- No such file or directory");
    const onPath = await spawner.run({ argv: ['warden-no-such-program'] });
    assert.match(onPath.spawnError!, /'warden-no-such-program' -- No such file or directory/);
  });

  it('runs an executable script without #! with /bin/sh, as execvp does', async () => {
    const script = join(dir, 'plain.sh');
    writeFileSync(script, 'echo "ran by sh: $0"\n', { mode: 0o755 });
    const r = await spawner.run({ argv: [script] });
    assert.equal(r.status, 0, r.spawnError);
    assert.equal(r.stdout, `ran by sh: ${script}\n`);
  });

  it('resolves with spawnError when the program is not executable', async () => {
    const script = join(dir, 'noexec.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    const r = await spawner.run({ argv: [script] });
    assert.equal(r.status, null);
    assert.equal(r.spawnError, `cannot execute '${script}' -- Permission denied`);
  });

  it('refuses an empty argv and a missing directory', async () => {
    assert.match((await spawner.run({ argv: [] })).spawnError!, /empty command/);
    const r = await spawner.run({ argv: ['/bin/true'], cwd: join(dir, 'gone') });
    assert.equal(r.spawnError, `cannot change to directory '${join(dir, 'gone')}' -- No such file or directory`);
  });

  it('runs in cwd with the extra environment on top of the daemon’s', async () => {
    const r = await spawner.run({
      argv: [SH, '-c', 'pwd; echo "$MONIT_SERVICE|$WARDEN_EVENT|${PATH:+path}"'],
      cwd: dir,
      env: { MONIT_SERVICE: 'web', WARDEN_EVENT: 'Status failed' },
    });
    assert.equal(r.stdout, `${dir}\nweb|Status failed|path\n`);
  });

  it('returns soon after exit when a background child keeps the pipes open', async () => {
    const r = await spawner.run({ argv: [SH, '-c', 'echo started; sleep 30 &'] });
    try {
      assert.equal(r.status, 0);
      assert.equal(r.stdout, 'started\n');
      assert.ok(r.durationMs < 3000, `took ${r.durationMs} ms`);
    } finally {
      process.kill(-r.pid!, 'SIGKILL');
    }
  });

  it('refuses a uid with no passwd entry when no gid is given', async () => {
    const s = new ProcessSpawner({ lookupUid: () => undefined });
    const r = await s.run({ argv: ['id'], uid: 4242 });
    assert.match(r.spawnError!, /as uid 4242 -- no such user/);
  });

  describe('as another user (root only)', () => {
    before(function () {
      if (!isRoot) this.skip();
    });

    it('takes the primary group from /etc/passwd when only uid is given', async () => {
      const r = await spawner.run({ argv: [SH, '-c', 'id -u; id -g; id -G; echo "$HOME $USER $LOGNAME"'], uid: 65534 });
      assert.equal(r.status, 0, r.output);
      assert.equal(r.stdout, '65534\n65534\n65534\n/nonexistent nobody nobody\n');
    });

    it('switches to the uid and gid given', async () => {
      const r = await spawner.run({ argv: [SH, '-c', 'id -u; id -g; id -G'], uid: 65534, gid: 65534 });
      assert.equal(r.stdout, '65534\n65534\n65534\n');
    });

    it('keeps the daemon’s uid when only gid is given', async () => {
      const r = await spawner.run({ argv: [SH, '-c', 'id -u; id -g; id -G'], gid: 65534 });
      assert.equal(r.stdout, '0\n65534\n65534\n');
    });

    it('lets spec.env override the user’s HOME', async () => {
      const r = await spawner.run({ argv: [SH, '-c', 'echo $HOME'], uid: 65534, env: { HOME: '/tmp' } });
      assert.equal(r.stdout, '/tmp\n');
    });
  });
});
