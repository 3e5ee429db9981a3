import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseText } from '../config/monitrc/fake-registry.js';
import { readConfig } from '../config/read-config.js';
import { Scheduler } from './scheduler.js';
import { testEngine } from './test-kit.js';

describe('engine and dispatch', function () {
  this.timeout(15_000);
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'warden-engine-')));
    out = join(dir, 'order.txt');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The lines the method programs appended, in order. */
  const written = (): string[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : []);
  /** `start`/`stop` programs that append `start-NAME` / `stop-NAME` to the order file. */
  const methods = (name: string, extra = '') =>
    `  start program = "/bin/sh -c 'echo start-${name} >> ${out}'"\n  stop program = "/bin/sh -c 'echo stop-${name} >> ${out}'"\n${extra}`;

  const NAMES = ['c', 'b', 'a', 'd', 'free'];
  /** a ← b ← c (c depends on b, b on a), a ← d, and an unrelated `free`. */
  function chain() {
    const text = [
      `check file c with path /tmp/c\n  depends on b\n${methods('c')}`,
      `check file b with path /tmp/b\n  depends on a\n${methods('b')}`,
      `check file a with path /tmp/a\n${methods('a')}`,
      `check file d with path /tmp/d\n  depends on a\n${methods('d')}`,
      `check file free with path /tmp/free\n${methods('free')}`,
    ].join('\n');
    const t = testEngine(parseText(text));
    const rt = (name: string) => t.engine.services.get(name)!;
    // Only the services written here (the front-end may add Monit's implicit `check system`).
    const monitor = () => Object.fromEntries(NAMES.map((n) => [n, rt(n).status.monitor]));
    return { ...t, rt, monitor };
  }

  it('orders services after what they depend on', () => {
    const { engine } = chain();
    assert.deepEqual(engine.order.map((r) => r.model.name).filter((n) => NAMES.includes(n)), ['a', 'b', 'c', 'd', 'free']);
  });

  it('dependants() is transitive, farthest first', () => {
    const { engine } = chain();
    assert.deepEqual(engine.dependants('a'), ['c', 'b', 'd']);
    assert.deepEqual(engine.dependants('b'), ['c']);
    assert.deepEqual(engine.dependants('c'), []);
  });

  it('unmonitor cascades to dependants; monitor walks dependencies, not dependants', () => {
    const { engine, rt, monitor } = chain();
    engine.unmonitor(rt('a'));
    assert.deepEqual(monitor(), { c: 'not monitored', b: 'not monitored', a: 'not monitored', d: 'not monitored', free: 'initializing' });
    assert.equal(rt('c').status.status, 'Not monitored');
    engine.monitor(rt('c'));
    assert.deepEqual(monitor(), { c: 'initializing', b: 'initializing', a: 'initializing', d: 'not monitored', free: 'initializing' });
  });

  it('start runs the prerequisites\' start programs first', async () => {
    const { engine, rt, monitor } = chain();
    engine.unmonitor(rt('a'));
    assert.equal(await engine.start(rt('c')), true);
    assert.deepEqual(written(), ['start-a', 'start-b', 'start-c']);
    assert.deepEqual(monitor(), { c: 'initializing', b: 'initializing', a: 'initializing', d: 'not monitored', free: 'initializing' });
  });

  it('stop stops the dependants first and unmonitors them all', async () => {
    const { engine, rt, monitor } = chain();
    assert.equal(await engine.stop(rt('a')), true);
    assert.deepEqual(written(), ['stop-c', 'stop-b', 'stop-d', 'stop-a']);
    assert.deepEqual(monitor(), { c: 'not monitored', b: 'not monitored', a: 'not monitored', d: 'not monitored', free: 'initializing' });
  });

  it('restart without a restart program is stop then start, with dependants stopped and started around it (R9)', async () => {
    const { engine, rt, monitor, log } = chain();
    assert.equal(await engine.restart(rt('b')), true);
    assert.deepEqual(written(), ['stop-c', 'stop-b', 'start-b', 'start-c']);
    assert.deepEqual(rt('b').restarts, [0]);
    assert.ok(log.lines.includes(`info 'b' trying to restart`));
    assert.equal(monitor().c, 'initializing', 'dependants stay monitored');
  });

  it('restart with a restart program runs only it; a failed stop skips the start', async () => {
    const text = `check file r with path /tmp/r\n  restart program = "/bin/sh -c 'echo restart-r >> ${out}'"\n${methods('r')}` +
      `check file s with path /tmp/s\n  stop program = "/bin/sh -c 'echo stop-s >> ${out}; exit 1'"\n  start program = "/bin/sh -c 'echo start-s >> ${out}'"\n`;
    const { engine } = testEngine(parseText(text));
    assert.equal(await engine.restart(engine.services.get('r')!), true);
    assert.equal(await engine.restart(engine.services.get('s')!), false);
    assert.deepEqual(written(), ['restart-r', 'stop-s']);
  });

  it('gives method programs Monit\'s environment (MONIT_EVENT=Started)', async () => {
    const text = `check file e with path /tmp/e\n  start program = "/bin/sh -c 'echo $MONIT_SERVICE/$MONIT_EVENT/$MONIT_DESCRIPTION/$MONIT_HOST >> ${out}'"\n`;
    const { engine } = testEngine(parseText(text));
    await engine.start(engine.services.get('e')!);
    assert.deepEqual(written(), ['e/Started/Started/testhost']);
  });

  it('records an `Execution failed` event when a start program fails', async () => {
    const text = `check file x with path /tmp/x\n  start program = "/bin/sh -c 'echo no disk >&2; exit 3'"\n`;
    const { engine, store, log } = testEngine(parseText(text));
    assert.equal(await engine.start(engine.services.get('x')!), false);
    const [event] = store.events('x');
    assert.deepEqual(
      { cls: event?.cls, state: event?.state, text: event?.text, description: event?.description },
      { cls: 'exec', state: 'failed', text: 'Execution failed', description: 'failed to start -- exit status 3' },
    );
    assert.ok(log.lines.includes(`error 'x' failed to start -- exit status 3 -- no disk`), log.lines.join('\n'));
  });

  describe('dispatch through real cycles (built-in file and exec plugins)', () => {
    async function cycles(body: string, n: number) {
      const file = join(dir, 'monitrc');
      writeFileSync(file, `check file ghost with path ${dir}/missing\n${body}`, { mode: 0o600 });
      const config = await readConfig(file);
      const t = testEngine(config.model, config.model.globals.settings);
      const scheduler = new Scheduler(t.engine, t.dispatcher, t.deps, t.store, { intervalMs: 60_000, startDelayMs: 0, concurrency: 4 });
      for (let i = 0; i < n; i++) await scheduler.runCycle();
      return { ...t, ghost: t.engine.services.get('ghost')! };
    }

    it('passive mode turns a restart into an alert', async () => {
      const { log } = await cycles(`  start program = "/bin/sh -c 'echo start >> ${out}'"\n  mode passive\n  if does not exist then restart\n`, 1);
      assert.ok(log.lines.some((l) => /^info 'ghost' alert: Does not exist -- .* \(restart not done: passive mode\)$/.test(l)), log.lines.join('\n'));
      assert.deepEqual(written(), []);
    });

    it('`if 2 restarts within 3 cycles then unmonitor` fires', async () => {
      const { ghost, log, store } = await cycles(`  start program = "/bin/true"\n  if does not exist then restart\n  if 2 restarts within 3 cycles then unmonitor\n`, 2);
      assert.deepEqual(ghost.restarts, [], 'the count starts again');
      assert.equal(ghost.status.monitor, 'not monitored');
      assert.ok(log.lines.includes(`error 'ghost' service restarted 2 times within 3 cycle(s) - unmonitor`), log.lines.join('\n'));
      assert.ok(store.events('ghost').some((e) => e.text === 'Timeout' && e.actions[0] === 'unmonitor'));
    });

    it('an exec action gets the MONIT_* environment of its event', async () => {
      await cycles(`  if does not exist then exec "/bin/sh -c 'env > ${out}'"\n`, 1);
      const env = Object.fromEntries(written().map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      assert.equal(env.MONIT_SERVICE, 'ghost');
      assert.equal(env.MONIT_EVENT, 'Does not exist');
      assert.equal(env.MONIT_HOST, 'testhost');
      assert.ok(env.MONIT_DESCRIPTION, 'a description');
      assert.match(env.MONIT_DATE ?? '', /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}$/);
      assert.equal(env.WARDEN_SERVICE, 'ghost');
    });
  });
});
