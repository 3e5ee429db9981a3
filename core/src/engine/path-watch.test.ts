import assert from 'node:assert/strict';
import { appendFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineServiceType, defineTest, fail, ok, type FileStat, type ProbeResult } from '@warden/sdk';
import { fakeRegistry, parseText } from '../config/monitrc/fake-registry.js';
import { loadWatchPaths } from '../fs/stat-path.js';
import { Scheduler } from './scheduler.js';
import { testEngine } from './test-kit.js';

/** What a `spot` service observes: its path's stat, the last object again while it stays. */
interface Spot {
  readonly stat: FileStat | undefined;
}

/** The same fields as the file plugin's `statIsSame`, on the ones this test reads. */
function sameStat(a: FileStat | undefined, b: FileStat | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.mode === b.mode;
}

/**
 * A `spot` service type shaped like `check file` (its target is its path's stat, and the last
 * target comes back while the stat stays), naming its path as `statPath`, and two steady tests:
 * `size > N` and `changed size`. `observed` counts the calls of `observe` per service.
 */
function registry(observed: Map<string, number>, observationsMove = false) {
  const spot = defineServiceType<{ path: string }, Spot, { last?: Spot }>({
    name: 'spot', summary: 'a path', keywords: ['spot'], monitType: 'file',
    parseTarget: (ts) => {
      ts.expect('path');
      return { path: ts.path() };
    },
    init: () => ({}),
    observe(ctx) {
      observed.set(ctx.service.name, (observed.get(ctx.service.name) ?? 0) + 1);
      const stat = ctx.stat(ctx.options.path);
      const last = ctx.state.last;
      if (last !== undefined && sameStat(last.stat, stat)) return last;
      return (ctx.state.last = { stat });
    },
    sameTarget: (a, b) => a === b || sameStat(a.stat, b.stat),
    statPath: (options) => options.path,
    observationsMove,
  });
  const size = defineTest<Record<string, never>, Spot>({
    name: 'spot.size', summary: 'size', serviceTypes: ['spot'], keywords: ['size'], polarities: ['none', 'changed'], event: 'size', codes: {},
    parse(ts, ctx) {
      ts.expect('size');
      if (ctx.polarity === 'changed') return { options: {}, condition: { kind: 'changed' }, describe: 'changed size' };
      const c = ts.comparison(['bytes']);
      return { options: {}, condition: { kind: 'compare', comparison: c }, describe: `size ${c.op} ${c.text}` };
    },
    run(ctx): ProbeResult {
      const bytes = ctx.target.stat?.size ?? -1;
      return ok(`size is ${bytes} B`, { value: bytes });
    },
    steady: () => true,
  });
  // Not steady: it reads more than the target (as `checksum paranoid` reads the file), so it
  // runs every check. `observed` counts its runs under the key `reads`.
  const reads = defineTest<Record<string, never>, Spot>({
    name: 'spot.reads', summary: 'reads', serviceTypes: ['spot'], keywords: ['reads'], polarities: ['failed'], event: 'checksum', codes: {},
    parse(ts) {
      ts.expect('reads');
      return { options: {}, condition: { kind: 'state' }, describe: 'failed reads' };
    },
    run(ctx): ProbeResult {
      const runs = (observed.get('reads') ?? 0) + 1;
      observed.set('reads', runs);
      return ok(`read ${ctx.target.stat?.size ?? -1} B`);
    },
  });
  return fakeRegistry([spot, size, reads]);
}

/**
 * What a `kept` service observes: the content of a file it keeps open (`P.content`), its path's
 * stat, and whether the content moved since the last observation (`moved`: over the last
 * interval, as a process's CPU percentage is).
 */
interface Kept {
  readonly stat: FileStat | undefined;
  readonly content: string;
  readonly moved: boolean;
}

/**
 * A `kept` service type shaped like `check process … with pidfile`: it stats its path (the
 * pidfile) and reads a file it keeps open (the process's /proc/PID/stat, here `PATH.content`),
 * names both (`statPath`, `statFd`), and hands back its last target while neither moves (once
 * `moved` is false again); the test `content "X"` (the content starts with X) is steady and
 * says `moved`. `observed` counts the calls of `observe` per service.
 */
function keptRegistry(observed: Map<string, number>) {
  const kept = defineServiceType<{ path: string }, Kept, { fd?: number; last?: Kept }>({
    name: 'kept', summary: 'a kept file', keywords: ['kept'], monitType: 'process',
    parseTarget: (ts) => {
      ts.expect('path');
      return { path: ts.path() };
    },
    init: () => ({}),
    dispose: (state) => (state.fd === undefined ? undefined : closeSync(state.fd)),
    observe(ctx) {
      observed.set(ctx.service.name, (observed.get(ctx.service.name) ?? 0) + 1);
      const stat = ctx.stat(ctx.options.path);
      ctx.state.fd ??= openSync(`${ctx.options.path}.content`, 'r');
      const buf = Buffer.alloc(256);
      const content = buf.toString('latin1', 0, readSync(ctx.state.fd, buf, 0, 256, 0));
      const last = ctx.state.last;
      const moved = last !== undefined && last.content !== content;
      if (last !== undefined && last.content === content && last.moved === moved && sameStat(last.stat, stat)) return last;
      return (ctx.state.last = { stat, content, moved });
    },
    sameTarget: (a, b) => a === b,
    statPath: (options) => options.path,
    statFd: (state) => state.fd,
  });
  const content = defineTest<{ text: string }, Kept>({
    name: 'kept.content', summary: 'content', serviceTypes: ['kept'], keywords: ['content'], polarities: ['failed'], event: 'content', codes: { 'kept.other': 'other content' },
    parse(ts) {
      ts.expect('content');
      const text = ts.string('a content');
      return { options: { text }, condition: { kind: 'state' }, describe: `content starts with ${text}` };
    },
    run(ctx): ProbeResult {
      const { content, moved } = ctx.target;
      const message = `content is ${content}${moved ? ', moved' : ''}`;
      return content.startsWith(ctx.options.text) ? ok(message) : fail('kept.other', message);
    },
    steady: () => true,
  });
  return fakeRegistry([kept, content]);
}

function setup(dir: string, name: string, text: (path: string) => string, watched: boolean, observationsMove = false) {
  const path = join(dir, name);
  writeFileSync(path, 'abc');
  const observed = new Map<string, number>();
  const t = testEngine(parseText(text(path), registry(observed, observationsMove)));
  const watchPaths = loadWatchPaths();
  const deps = watched && watchPaths ? { ...t.deps, watchPaths } : t.deps;
  const scheduler = new Scheduler(t.engine, t.dispatcher, deps, t.store, { intervalMs: 60_000, startDelayMs: 0, concurrency: 8 });
  /** The lines and status each cycle leaves, as a user would see them. */
  const seen = () => {
    const rt = t.engine.services.get('s')!;
    return { status: rt.status.status, failing: [...rt.status.failingEvents], rules: rt.status.rules.map((r) => `${r.state}: ${r.message}`) };
  };
  return { ...t, path, observed, scheduler, seen };
}

/** A `kept` service `s` on DIR/NAME (content "ok"), batched or not, with what it shows. */
function setupKept(dir: string, name: string, watched: boolean) {
  const path = join(dir, name);
  writeFileSync(path, '1234');
  writeFileSync(`${path}.content`, 'ok');
  const observed = new Map<string, number>();
  const t = testEngine(parseText(`check kept s path ${path}\n  if failed content "ok" then alert\n`, keptRegistry(observed)));
  const watchPaths = loadWatchPaths();
  const deps = watched && watchPaths ? { ...t.deps, watchPaths } : t.deps;
  const scheduler = new Scheduler(t.engine, t.dispatcher, deps, t.store, { intervalMs: 60_000, startDelayMs: 0, concurrency: 8 });
  const seen = () => t.engine.services.get('s')!.status.rules.map((r) => `${r.state}: ${r.message}`);
  return { ...t, path, observed, scheduler, seen };
}

/** What a batched service and the same one without the batch have in common here. */
interface Pair {
  readonly path: string;
  readonly scheduler: Scheduler;
  readonly log: { readonly lines: string[] };
  seen(): unknown;
}

/**
 * Run `script` on both, `change(path, step)` before each cycle with a step that is not empty:
 * the batched one must show and log what the plain one does, cycle by cycle.
 */
async function runBoth(plain: Pair, watched: Pair, script: readonly string[], change: (path: string, step: string) => void): Promise<void> {
  for (const [i, step] of script.entries()) {
    for (const w of [plain, watched]) {
      if (step) change(w.path, step);
      await w.scheduler.runCycle();
    }
    assert.deepEqual(watched.seen(), plain.seen(), `cycle ${i + 1}`);
    assert.deepEqual(watched.log.lines.map((l) => l.replace(watched.path, 'P')), plain.log.lines.map((l) => l.replace(plain.path, 'P')), `cycle ${i + 1}: log`);
  }
}

/** Append the step to the file. */
const append = (path: string, step: string): void => appendFileSync(path, step);

/** Write the step over the start of the kept file (`PATH.content`): its stat never moves. */
function overwriteContent(path: string, step: string): void {
  const fd = openSync(`${path}.content`, 'r+');
  writeSync(fd, step, 0);
  closeSync(fd);
}

describe('batched stats of watched paths (`statPath`)', function () {
  this.timeout(10_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'warden-pathwatch-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  before(function () {
    // Without core's addon (no C compiler) there is nothing batched to test.
    if (!loadWatchPaths()) this.skip();
  });

  it('a quiet path skips observe; a change is judged in the same cycle as without the batch', async () => {
    const text = (path: string) => `check spot s path ${path}\n  if size > 5 B then alert\n  if changed size then alert\n`;
    const plain = setup(dir, 'plain', text, false);
    const watched = setup(dir, 'watched', text, true);
    // Per cycle, what happens to the file before it: nothing, or some bytes appended.
    const script = ['', '', '', 'de', '', '', 'fghij', '', '', ''];
    await runBoth(plain, watched, script, append);
    assert.match(plain.log.lines.join('\n'), /size is 10 B/);
    // Without the batch every cycle observes. With it, a cycle whose path did not move and
    // whose rules rest (from the second quiet look at a target) does not: cycles 3 and 6. From
    // cycle 7 on the file is over 5 B, and a failing rule never rests; still, once cycle 8
    // has observed the target of 7 again, 9 and 10 probe that target without observing.
    assert.equal(plain.observed.get('s'), script.length);
    assert.equal(watched.observed.get('s'), script.length - 4);
  });

  it('a rule that never rests runs every cycle; observing stops while the path stays', async () => {
    const text = (path: string) => `check spot s path ${path}\n  if changed size then alert\n  if failed reads then alert\n`;
    const plain = setup(dir, 'plain', text, false);
    const watched = setup(dir, 'watched', text, true);
    const script = ['', '', '', 'de', '', '', '', 'f', ''];
    await runBoth(plain, watched, script, append);
    assert.match(watched.log.lines.join('\n'), /read 6 B/);
    // Both read the file every cycle; the watched one observes in 1 and 2 (the same target
    // again), in 4 and 5 (the move, then its target again) and in 8 and 9: six of nine.
    assert.equal(plain.observed.get('reads'), script.length);
    assert.equal(watched.observed.get('reads'), script.length);
    assert.equal(plain.observed.get('s'), script.length);
    assert.equal(watched.observed.get('s'), 6);
  });

  it('a type whose observing moves fields in place (`observationsMove`) observes every check of a rule that never rests', async () => {
    // As a process's uptime, which only the unsteady uptime test reads.
    const w = setup(dir, 'f', (path) => `check spot s path ${path}\n  if changed size then alert\n  if failed reads then alert\n`, true, true);
    for (let i = 0; i < 5; i++) await w.scheduler.runCycle();
    assert.equal(w.observed.get('reads'), 5);
    assert.equal(w.observed.get('s'), 5);
  });

  it('with `observationsMove`, a service whose rules are all steady stops observing while failing', async () => {
    // No rule of it reads what observing moves in place, so the kept target serves.
    const text = (path: string) => `check spot s path ${path}\n  if size > 2 B then alert\n`;
    const plain = setup(dir, 'plain', text, false, true);
    const watched = setup(dir, 'watched', text, true, true);
    await runBoth(plain, watched, ['', '', '', '', ''], append);
    assert.match(watched.log.lines.join('\n'), /size is 3 B/);
    assert.deepEqual(watched.seen().failing, ['size']);
    // 1 observes, 2 observes the same target again, 3 to 5 probe it without observing.
    assert.equal(plain.observed.get('s'), 5);
    assert.equal(watched.observed.get('s'), 2);
  });

  it('a path that moved while its service was not due is seen at its next check', async () => {
    // `a`, checked every cycle, comes first: the batch its check starts stats `s`'s path too,
    // also in the cycles where `s` is not due.
    const w = setup(dir, 'f', (path) => `check spot a path ${path}.a\n  if changed size then alert\ncheck spot s path ${path}\n  every 2 cycles\n  if changed size then alert\n`, true);
    writeFileSync(`${w.path}.a`, 'a');
    for (let i = 0; i < 5; i++) await w.scheduler.runCycle(); // `s` checked in 1, 3 (rests), 5 (rested)
    const before = w.observed.get('s')!;
    appendFileSync(w.path, 'more');
    await w.scheduler.runCycle(); // 6: `s` not due; its path is stat'ed, moved
    await w.scheduler.runCycle(); // 7: due; its path did not move since 6, but it did since 5
    assert.equal(w.observed.get('s'), before + 1, 'the check after the move observed');
    assert.match(w.log.lines.join('\n'), /'s' size is 7 B/);
  });

  it('a check between cycles (checkNow) observes: the batch is for cycle checks', async () => {
    const w = setup(dir, 'f', (path) => `check spot s path ${path}\n  if changed size then alert\n`, true);
    for (let i = 0; i < 3; i++) await w.scheduler.runCycle();
    appendFileSync(w.path, 'xyz');
    await w.scheduler.checkNow('s');
    assert.match(w.log.lines.join('\n'), /size is 6 B/);
  });

  it("a kept file's content is read in the batch too (`statFd`): a move in it alone is seen", async () => {
    const plain = setupKept(dir, 'plain', false);
    const watched = setupKept(dir, 'watched', true);
    // Per cycle, the content written in place before it (the path's stat never moves).
    const script = ['', '', '', 'no', '', 'ok', '', '', '', 'ok2', '', ''];
    await runBoth(plain, watched, script, overwriteContent);
    assert.match(plain.log.lines.join('\n'), /content is no/);
    // Cycles 1 (nothing kept yet) and 2 observe; 3 rests without observing. 4 sees the content
    // move; 5 observes (a failing rule). 6 sees it back ("moved"), and 7 observes although the
    // file stayed: the target of 6 was new, so no rule rests, and "moved" is over now (a
    // figure over the last interval, as a CPU percentage). 8 observes the same target again
    // and rests; 9 rests without observing. 10 to 12: a passing change, the same again.
    assert.match(plain.log.lines.join('\n'), /content is ok, moved/);
    assert.equal(plain.observed.get('s'), script.length);
    assert.equal(watched.observed.get('s'), script.length - 2);
    for (const w of [plain, watched]) closeSync((w.engine.services.get('s')!.typeState as { fd: number }).fd);
  });

  it('a kept file whose failing content stays is observed until its target came back once', async () => {
    const plain = setupKept(dir, 'plain', false);
    const watched = setupKept(dir, 'watched', true);
    const script = ['', 'no', '', '', '', ''];
    await runBoth(plain, watched, script, overwriteContent);
    assert.match(plain.log.lines.join('\n'), /content is no, moved/);
    // 1 and 2 observe (nothing kept yet, then the move); 3 observes the figure over the last
    // interval settle ("moved" over: a new target), 4 that target again, and 5 and 6, failing
    // still, probe it without observing.
    assert.equal(plain.observed.get('s'), script.length);
    assert.equal(watched.observed.get('s'), 4);
    assert.deepEqual(watched.seen(), ['failed: content is no']);
    for (const w of [plain, watched]) closeSync((w.engine.services.get('s')!.typeState as { fd: number }).fd);
  });

  it('a missing path is observed every cycle, and its return too', async () => {
    const w = setup(dir, 'f', (path) => `check spot s path ${path}\n  if changed size then alert\n`, true);
    rmSync(w.path);
    for (let i = 0; i < 3; i++) await w.scheduler.runCycle();
    assert.equal(w.observed.get('s'), 3);
    writeFileSync(w.path, '12345678');
    await w.scheduler.runCycle();
    assert.match(w.log.lines.join('\n'), /size is 8 B/);
  });
});
