// warden as PID 1 of a new PID namespace, as in a container: every orphan of the namespace
// becomes its child, and it must reap them. Needs root (unshare --pid) and util-linux.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, daemonsPerTest, readText, ROOT, waitFor, WARDEN, writeControlFile } from './harness.mjs';

const ADDON = join(ROOT, 'core', 'dist', 'native', 'reaper.node');
// Two children that outlive their parent shell: each becomes an orphan, then a zombie.
const DOUBLE_FORK = "/bin/sh -c '(sleep 0.1 &) ; (sleep 0.1 &) ; exit 0'";

/** States of the children of `ppid`, from /proc (the host sees every namespace's processes). */
function childStates(ppid) {
  const states = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(parent) === ppid) states.set(Number(name), state);
  }
  return states;
}

/** Run `argv` as PID 1 of a new PID namespace; resolves the host pid of that PID 1. */
async function asPid1(argv, h) {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const handle = { child, output: { text: '' }, exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))) };
  child.stdout.on('data', (d) => (handle.output.text += d));
  child.stderr.on('data', (d) => (handle.output.text += d));
  h.push(handle);
  let init;
  await waitFor(() => (init = [...childStates(child.pid).keys()][0]) !== undefined, 5000, 'the namespace init');
  return { handle, init };
}

/** Zombie children of `ppid` that stay zombies across samples 300 ms apart, over `ms`. */
async function lastingZombies(ppid, ms) {
  const lasting = new Set();
  let previous = new Set();
  for (let waited = 0; waited < ms; waited += 300) {
    const now = new Set([...childStates(ppid)].filter(([, s]) => s === 'Z').map(([p]) => p));
    for (const pid of now) if (previous.has(pid)) lasting.add(pid);
    previous = now;
    await new Promise((r) => setTimeout(r, 300));
  }
  return lasting;
}

describe('warden as PID 1', function () {
  this.timeout(30_000);
  let t;
  let handles;
  before(() => {
    assert.equal(process.getuid(), 0, 'the PID 1 tests need root for unshare --pid (CI runs as root)');
    assert.equal(spawnSync('unshare', ['--version']).status, 0, 'unshare (util-linux) is missing');
    const build = spawnSync(process.execPath, [join(ROOT, 'core', 'native', 'build.mjs')], { encoding: 'utf8' });
    assert.ok(existsSync(ADDON), `core/native/build.mjs did not build ${ADDON}: ${build.stderr}`);
  });
  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  });

  it('the zombie count works: a plain node as PID 1 keeps the orphans it inherits as zombies', async () => {
    const script = `require('child_process').spawn('/bin/sh', ['-c', ${JSON.stringify("(sleep 0.1 &) ; (sleep 0.1 &) ; exit 0")}]); setTimeout(() => {}, 20000);`;
    const { init } = await asPid1([process.execPath, '-e', script], handles);
    await new Promise((r) => setTimeout(r, 500));
    const zombies = await lastingZombies(init, 1000);
    assert.ok(zombies.size >= 2, `expected the two orphans as lasting zombies, saw ${zombies.size}`);
  });

  it('reaps every orphan it inherits, keeps its own children\'s exit status, and stops on TERM', async () => {
    const log = join(t.dir, 'warden.log');
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${log}`,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      `set idfile ${join(t.dir, 'warden.id')}`,
      `set statefile ${join(t.dir, 'warden.state')}`,
      `check program orphans with path "${DOUBLE_FORK}"`,
      '  if status != 0 then alert',
      // A supervised job whose child outlives it: the orphan is reaped, the job's exit still seen.
      `check job forker with command "/bin/sh -c '(sleep 0.1 &) ; sleep 0.3'"`,
      '',
    ].join('\n'));
    const { handle, init } = await asPid1([process.execPath, WARDEN, '-I', '-v', '-c', file], handles);
    await waitFor(() => /pid 1\)/.test(readText(log)), 10_000, 'the daemon start line with pid 1');
    // Programs are judged a cycle after they start: exit statuses still reach warden.
    await waitFor(() => count(readText(log), /'orphans' status succeeded \(0\)/) >= 3, 15_000, 'three judged runs');
    const zombies = await lastingZombies(init, 1500);
    assert.deepEqual([...zombies], [], `zombies left under warden (pid ${init} on the host)`);
    assert.ok(count(readText(log), /Reaped orphaned process \d+/) >= 6, readText(log));
    assert.doesNotMatch(readText(log), /'orphans' .*(failed|not yet finished.*\n.*not yet finished)/);
    assert.match(readText(log), /'forker' job forker \[\d+\] exited after \d+ sec: exit status 0/);
    // The signal goes to warden itself: unshare does not forward it.
    process.kill(init, 'SIGTERM');
    const exit = await handle.exited;
    assert.equal(exit.code, 0, handle.output.text);
    assert.match(readText(log), /warden daemon with pid \[1\] stopped/);
  });
});
