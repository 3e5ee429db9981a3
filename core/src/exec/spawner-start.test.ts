import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProcessSpawner } from './spawner.js';

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

describe('ProcessSpawner.start', function () {
  this.timeout(15000);
  const spawner = new ProcessSpawner({ killGraceMs: 300 });
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'warden-start-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns at once with a pid, and settles exited with the exit status', async () => {
    const p = spawner.start({ argv: ['sh', '-c', 'echo hi; exit 3'] });
    assert.ok(typeof p.pid === 'number' && p.pid > 0);
    const r = await p.exited;
    assert.equal(r.status, 3);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(p.kill(), false, 'kill after exit reports the process gone');
  });

  it('runs in its own process group and kill() signals the whole group', async () => {
    const pidFile = join(dir, 'grandchild');
    const p = spawner.start({ argv: ['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`] });
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
      argv: ['sh', '-c', 'cat; pwd; echo "$JOBVAR"; echo err >&2'],
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
      argv: ['sh', '-c', 'printf "one\\n\\ntwo\\033x\\n"; sleep 0.1; printf "err" >&2'],
      onOutput: (stream, line) => lines.push(`${stream}:${line}`),
    });
    await p.exited;
    await waitFor(() => lines.length === 3);
    assert.deepEqual(lines, ['stdout:one', 'stdout:two?x', 'stderr:err']);
  });

  it('settles with spawnError, never throws, when the program or a file cannot be used', async () => {
    const missing = await spawner.start({ argv: [join(dir, 'nope')] }).exited;
    assert.match(missing.spawnError ?? '', /cannot execute '.*nope' -- No such file or directory/);
    const p = spawner.start({ argv: ['true'], stdoutFile: join(dir, 'no', 'such', 'dir') });
    assert.equal(p.pid, undefined);
    assert.match((await p.exited).spawnError ?? '', /cannot open '.*no\/such\/dir' -- No such file or directory/);
    assert.match((await spawner.start({ argv: [] }).exited).spawnError ?? '', /empty command/);
  });

  it('TERMs then KILLs a program that ignores TERM when its signal aborts', async () => {
    const ac = new AbortController();
    const p = spawner.start({ argv: ['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], signal: ac.signal });
    await sleep(200);
    const t0 = Date.now();
    ac.abort();
    const r = await p.exited;
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(Date.now() - t0 >= 250, 'KILL came after the grace period');
  });

  it('settles exited at the exit even when a grandchild keeps the pipes open', async () => {
    const p = spawner.start({ argv: ['sh', '-c', 'sleep 5 & exit 0'] });
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
