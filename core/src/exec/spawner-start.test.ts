import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSpawnAddon } from '../daemon/reaper.js';
import type { SpawnAddon } from './native-spawn.js';
import { ProcessSpawner } from './spawner.js';

/** Absolute, as a job's program is: the native spawn takes only absolute paths. */
const SH = '/bin/sh';

/** True once `pid` is gone or a zombie waiting for its parent. */
function dead(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitFor(check: () => boolean, ms = 3000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 20) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

/** The addon's spawn, counting its calls: the native runs of the suite must go through it. */
function countingAddon(): { addon: SpawnAddon; calls: () => number } {
  const addon = loadSpawnAddon();
  assert.ok(addon, 'the native addon (core/native/build.mjs) has spawn and waitStatus');
  let calls = 0;
  return {
    addon: { ...addon, spawn: (...args) => (calls++, addon.spawn(...args)) },
    calls: () => calls,
  };
}

for (const backend of ['posix_spawn (native addon)', "Node's spawn"] as const) describe(`ProcessSpawner.start through ${backend}`, function () {
  this.timeout(15000);
  const counting = backend === "Node's spawn" ? undefined : countingAddon();
  const spawner = new ProcessSpawner({ killGraceMs: 300, native: counting?.addon ?? false });
  if (counting) after(() => assert.ok(counting.calls() >= 8, `${counting.calls()} runs through the addon`));
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'warden-start-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns at once with a pid, and settles exited with the exit status', async () => {
    const p = spawner.start({ argv: [SH, '-c', 'echo hi; exit 3'] });
    assert.ok(typeof p.pid === 'number' && p.pid > 0);
    const r = await p.exited;
    assert.equal(r.status, 3);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(p.kill(), false, 'kill after exit reports the process gone');
  });

  it('starts the program with every signal at its default and none blocked (Node ignores SIGPIPE)', async () => {
    const r = await spawner.start({ argv: ['/bin/grep', '-E', '^Sig(Ign|Blk):', '/proc/self/status'] }).exited;
    assert.equal(r.stdout, 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
  });

  it('runs in its own process group and kill() signals the whole group', async () => {
    const pidFile = join(dir, 'grandchild');
    const p = spawner.start({ argv: [SH, '-c', `sleep 30 & echo $! > ${pidFile}; wait`] });
    assert.ok(await waitFor(() => readFileSync(pidFile, { flag: 'a+' }).toString().trim() !== ''));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const pgid = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2];
    assert.equal(Number(pgid), p.pid);
    assert.equal(p.kill('SIGTERM'), true);
    const r = await p.exited;
    assert.equal(r.signal, 'SIGTERM');
    assert.ok(await waitFor(() => dead(grandchild)), 'the grandchild got the TERM too');
  });

  it('appends stdout and stderr to files and reads stdin from a file, in cwd, with env', async () => {
    writeFileSync(join(dir, 'in'), 'from stdin\n');
    writeFileSync(join(dir, 'out'), 'old\n');
    const p = spawner.start({
      argv: [SH, '-c', 'cat; pwd; echo "$JOBVAR"; echo err >&2'],
      cwd: dir,
      env: { JOBVAR: 'set' },
      stdinFile: join(dir, 'in'),
      stdoutFile: join(dir, 'out'),
      stderrFile: join(dir, 'err'),
    });
    assert.equal((await p.exited).status, 0);
    assert.equal(readFileSync(join(dir, 'out'), 'utf8'), `old\nfrom stdin\n${dir}\nset\n`);
    assert.equal(readFileSync(join(dir, 'err'), 'utf8'), 'err\n');
  });

  it('hands each output line to onOutput as it comes, control characters shown as ?', async () => {
    const lines: string[] = [];
    const p = spawner.start({
      argv: [SH, '-c', 'printf "one\\n\\ntwo\\033x\\n"; sleep 0.1; printf "err" >&2'],
      onOutput: (stream, line) => lines.push(`${stream}:${line}`),
    });
    await p.exited;
    await waitFor(() => lines.length === 3);
    assert.deepEqual(lines, ['stdout:one', 'stdout:two?x', 'stderr:err']);
  });

  it('settles with spawnError, never throws, when the program or a file cannot be used', async () => {
    const missing = await spawner.start({ argv: [join(dir, 'nope')] }).exited;
    assert.match(missing.spawnError ?? '', /cannot execute '.*nope' -- No such file or directory/);
    writeFileSync(join(dir, 'data'), 'not a program\n', { mode: 0o644 });
    const notExecutable = await spawner.start({ argv: [join(dir, 'data')] }).exited;
    assert.match(notExecutable.spawnError ?? '', /cannot execute '.*data' -- Permission denied/);
    const p = spawner.start({ argv: ['/bin/true'], stdoutFile: join(dir, 'no', 'such', 'dir') });
    assert.equal(p.pid, undefined);
    assert.match((await p.exited).spawnError ?? '', /cannot open '.*no\/such\/dir' -- No such file or directory/);
    assert.match((await spawner.start({ argv: [] }).exited).spawnError ?? '', /empty command/);
  });

  it('TERMs then KILLs a program that ignores TERM when its signal aborts', async () => {
    const ac = new AbortController();
    const p = spawner.start({ argv: [SH, '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], signal: ac.signal });
    await sleep(200);
    const t0 = Date.now();
    ac.abort();
    const r = await p.exited;
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(Date.now() - t0 >= 250, 'KILL came after the grace period');
  });

  it('settles exited at the exit even when a grandchild keeps the pipes open', async () => {
    const p = spawner.start({ argv: [SH, '-c', 'sleep 5 & exit 0'] });
    const t0 = Date.now();
    const r = await p.exited;
    assert.equal(r.status, 0);
    assert.ok(Date.now() - t0 < 2000);
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  it('runs as another uid and gid (root only)', async function () {
    assert.equal(process.getuid?.(), 0, 'this test needs root');
    const r = await new Promise<string>((resolve) => {
      const p = spawner.start({ argv: ['id', '-u'], uid: 65534, gid: 65534, stdoutFile: join(dir, 'id') });
      void p.exited.then(() => resolve(readFileSync(join(dir, 'id'), 'utf8')));
    });
    assert.equal(r.trim(), '65534');
  });
});
