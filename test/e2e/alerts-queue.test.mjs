// The durable event queue end to end: alerts written to disk before delivery, kept across
// SIGKILL and restart, delivered once (or at least once, a possible duplicate logged) in
// their original order, capped by slots, and a queue folder that cannot be written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startSmtp } from './alerts-peers.mjs';
import { readText, startWarden, stopChild, tempDir, waitFor, writeControlFile } from './harness.mjs';

const queued = (dir) => (existsSync(dir) ? readdirSync(dir) : []).filter((f) => /^\d+_\d+\.json$/.test(f)).sort();
const serviceOf = (dir, f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).event.service;
const subjectService = (m) => /Does not exist (\S+)$/.exec(m.parsed.subject)?.[1];

describe('alerts: event queue', function () {
  this.timeout(60_000);
  let t;
  let handles;
  let peers;
  let mounts;
  beforeEach(() => {
    t = tempDir('warden-queue-');
    handles = [];
    peers = [];
    mounts = [];
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`      warden log:\n${readText(join(t.dir, 'warden.log')).split('\n').slice(-40).join('\n')}`);
    for (const h of handles) await stopChild(h, 'SIGKILL');
    for (const p of peers) await p.close();
    for (const m of mounts) spawnSync('umount', [m]);
    t.cleanup();
  });
  const logText = () => readText(join(t.dir, 'warden.log'));
  const controlFile = (lines) => writeControlFile(join(t.dir, 'monitrc'), ['set daemon 1', `set log ${join(t.dir, 'warden.log')}`, `set pidfile ${join(t.dir, 'warden.pid')}`, `set statefile ${join(t.dir, 'warden.state')}`, ...lines, ''].join('\n'));
  const start = (file) => {
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    return h;
  };
  /** `n` file checks on paths that do not exist: n "Does not exist" events in the first cycle. */
  const services = (n) => Array.from({ length: n }, (_, i) => `check file f${String(i).padStart(2, '0')} with path ${join(t.dir, 'data', `f${i}`)}\n  if does not exist then alert`);
  const createAll = (n) => {
    mkdirSync(join(t.dir, 'data'), { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(t.dir, 'data', `f${i}`), 'x');
  };

  it('keeps 50 alerts across SIGKILL mid-delivery and a restart; each arrives, in order, none lost', async () => {
    const queue = join(t.dir, 'events');
    const port = await freePort();
    const file = controlFile([`set eventqueue basedir ${queue}`, `set mailserver 127.0.0.1 port ${port} with timeout 5 seconds`,
      'set alert ops@example.com but not on { instance }', ...services(50)]);
    const first = start(file);
    await waitFor(() => queued(queue).length === 50 && /Adding event to the queue file/.test(logText()), 15_000, '50 queued events');
    const order = queued(queue).map((f) => serviceOf(queue, f));
    assert.equal(new Set(order).size, 50);
    const sizes = queued(queue).map((f) => statSync(join(queue, f)).size);
    const mean = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
    console.log(`      bench: ${mean} bytes per queued event (max ${Math.max(...sizes)})`);
    assert.ok(Math.max(...sizes) <= 1024);
    assert.match(logText(), /Mail: Delivery failed -- no mail server is available/);
    assert.match(logText(), new RegExp(`Adding event to the queue file ${queue}/\\d+_\\d+\\.json for later delivery`));

    // The server comes up (smtp-server greets after 100 ms); warden is killed in the middle of the deliveries.
    const up = Date.now();
    const smtp = await startSmtp({ port, stallAt: 12 });
    peers.push(smtp);
    await waitFor(() => smtp.mails.length >= 1, 5000, 'the first queued mail');
    const recovery = smtp.connects[0] - up;
    console.log(`      bench: server up -> first queued event delivered: connection after ${recovery} ms, accepted after ${smtp.mails[0].at - up} ms`);
    assert.ok(recovery <= 1200, `within one cycle + 200 ms (${recovery} ms)`);
    // The 12th mail reaches the server, whose answer never comes: a crash between accept and delete.
    await waitFor(() => smtp.mails.length >= 12, 15_000, 'twelve mails');
    first.child.kill('SIGKILL');
    await first.exited;
    const left = queued(queue).length;
    assert.ok(left > 0 && left < 50, `some events still queued (${left})`);

    // Restart with every file present: no new events, only the queued ones.
    createAll(50);
    start(file);
    await waitFor(() => new Set(smtp.mails.map(subjectService)).size === 50 && queued(queue).length === 0, 30_000, 'all 50 delivered');
    const arrived = smtp.mails.map(subjectService);
    const firstArrival = arrived.filter((s, i) => arrived.indexOf(s) === i);
    assert.deepEqual(firstArrival, order, 'delivered in the order they were raised');
    const dups = arrived.filter((s, i) => arrived.indexOf(s) !== i);
    assert.deepEqual(dups, [order[11]], 'only the mail in flight at the kill arrives twice');
    assert.match(logText(), new RegExp(`Queued event '${queue}/\\d+_\\d+\\.json' may have been delivered already .*possibly a duplicate`));
    assert.equal((logText().match(/may have been delivered already/g) ?? []).length, 1);
    console.log(`      killed with ${left} of 50 still queued; ${dups.length} duplicate(s) after the restart${dups.length ? ' (logged)' : ''}`);
    assert.match(logText(), /Processing postponed events queue/);
    assert.match(logText(), /Removing queued event /);
    // The original time of the event, not the time of the retry.
    const dates = smtp.mails.map((m) => /Date:\s+(.*)/.exec(m.parsed.text)[1]);
    assert.ok(dates.every((d) => d === dates[0] || Math.abs(Date.parse(d) - Date.parse(dates[0])) < 3000));
  });

  it('with slots 10 keeps the 10 oldest, logs the overflow, and delivers exactly those', async () => {
    const queue = join(t.dir, 'events');
    const port = await freePort();
    start(controlFile([`set eventqueue basedir ${queue} slots 10`, `set mailserver 127.0.0.1 port ${port} with timeout 5 seconds`,
      'set alert ops@example.com but not on { instance }', ...services(30)]));
    await waitFor(() => (logText().match(/is full \(10 slots\)/g) ?? []).length === 20, 15_000, '20 refused events');
    await new Promise((r) => setTimeout(r, 1200));
    const kept = queued(queue);
    assert.equal(kept.length, 10);
    const keptServices = kept.map((f) => serviceOf(queue, f));
    const refused = [...logText().matchAll(/is full \(10 slots\): Does not exist (\S+) is not queued/g)].map((m) => m[1]);
    assert.equal(new Set([...keptServices, ...refused]).size, 30, 'every event is either kept or logged as refused');
    assert.match(logText(), /Event queue: cannot queue the event -- the event queue .* is full \(10 slots\)/);
    const smtp = await startSmtp({ port });
    peers.push(smtp);
    await waitFor(() => queued(queue).length === 0 && smtp.mails.length >= 10, 10_000, 'the kept ten delivered');
    await new Promise((r) => setTimeout(r, 1200));
    assert.deepEqual(smtp.mails.map(subjectService), keptServices);
  });

  it('survives a queue folder it cannot write and a full disk: clear lines, nothing queued lost, still cycling', async () => {
    const blocker = join(t.dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const port = await freePort();
    const file = controlFile([`set eventqueue basedir ${join(blocker, 'events')}`, `set mailserver 127.0.0.1 port ${port} with timeout 5 seconds`,
      'set alert ops@example.com but not on { instance }', ...services(2)]);
    const h = start(file);
    await waitFor(() => /Event queue: cannot queue the event -- cannot write .*not-a-dir\/events\/.*ENOTDIR/.test(logText()), 10_000, 'the write error');
    assert.match(logText(), /Event queue: cannot create the folder .*not-a-dir\/events/);
    await waitFor(() => /Alert handler failed, the event could not be queued and is dropped/.test(logText()), 10_000, 'the drop');
    const cycles = (logText().match(/'f00' file doesn't exist/g) ?? []).length;
    await waitFor(() => (logText().match(/'f00' file doesn't exist/g) ?? []).length >= cycles + 2, 5000, 'more cycles');
    await stopChild(h);

    // A full disk: a 16 KiB tmpfs holds a few events; the rest are refused, the queued ones survive.
    const mnt = join(t.dir, 'mnt');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,nr_inodes=64', 'tmpfs', mnt], { encoding: 'utf8' });
    assert.equal(mount.status, 0, `mount a small tmpfs (needs root): ${mount.stderr}`);
    mounts.push(mnt);
    writeFileSync(join(t.dir, 'warden.log'), '');
    start(controlFile([`set eventqueue basedir ${mnt}`, `set mailserver 127.0.0.1 port ${port} with timeout 5 seconds`,
      'set alert ops@example.com but not on { instance }', ...services(40)]));
    await waitFor(() => /Event queue: cannot queue the event -- cannot write .*(ENOSPC|ENFILE|no space)/i.test(logText()), 15_000, 'the disk full error');
    await new Promise((r) => setTimeout(r, 1500));
    const kept = queued(mnt).map((f) => serviceOf(mnt, f));
    assert.ok(kept.length > 0, 'some events fit');
    const smtp = await startSmtp({ port });
    peers.push(smtp);
    await waitFor(() => queued(mnt).length === 0, 10_000, 'queued events delivered');
    const got = new Set(smtp.mails.map(subjectService));
    for (const s of kept) assert.ok(got.has(s), `${s} was queued and delivered`);
  });
});
