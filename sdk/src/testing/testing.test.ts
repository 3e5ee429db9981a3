import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { defineAction, defineServiceType, defineTest } from '../define.js';
import { ok } from '../result.js';
import { isParseError } from '../tokens.js';
import { CapturedLogger, FakeClock, parseAction, parseTarget, parseTest, scriptedServer, testCycle, testSpawner } from './index.js';

/** Connect to the server and collect what it sends until it closes the connection. */
async function dial(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let text = '';
  socket.on('data', (d) => (text += d.toString('utf8')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  return { socket, closed };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('@warden/sdk/testing', function () {
  this.timeout(10_000);

  it('FakeClock moves only when told, wall and monotonic together', () => {
    const clock = new FakeClock(1000);
    assert.deepEqual([clock.now(), clock.monotonic()], [1000, 0]);
    clock.advance(250);
    assert.deepEqual([clock.now(), clock.monotonic()], [1250, 250]);
    assert.equal(new FakeClock().now(), Date.UTC(2026, 0, 1));
  });

  it('CapturedLogger keeps every line by level', () => {
    const log = new CapturedLogger();
    log.error('e');
    log.warning('w');
    log.info('i');
    log.debug('d');
    assert.deepEqual(log.messages(), ['e', 'w', 'i', 'd']);
    assert.deepEqual(log.messages('warning'), ['w']);
    assert.deepEqual(log.lines[0], { level: 'error', message: 'e' });
  });

  it('testCycle memoises one computation per key', async () => {
    const cycle = testCycle(7);
    let calls = 0;
    const compute = async () => ++calls;
    const [a, b] = await Promise.all([cycle.memo('scan', compute), cycle.memo('scan', compute)]);
    assert.deepEqual([a, b, calls, cycle.number], [1, 1, 1, 7]);
  });

  describe('scriptedServer', () => {
    it('plays send/expect/close with a real TCP client', async () => {
      const server = await scriptedServer([{ send: '220 ready\r\n' }, { expect: /^HELO /m }, { send: '250 ok\r\n' }, { close: true }]);
      try {
        const { socket, closed } = await dial(server.port);
        socket.write('HELO me\r\n');
        assert.equal(await closed, '220 ready\r\n250 ok\r\n');
        assert.equal(server.host, '127.0.0.1');
        assert.deepEqual(server.received, [['HELO me\r\n']]);
      } finally {
        await server.close();
      }
    });

    it('waits for a line split over several writes', async () => {
      const server = await scriptedServer([{ expect: /PING\r\n/ }, { send: '+PONG\r\n' }, { close: true }]);
      try {
        const { socket, closed } = await dial(server.port);
        socket.write('PI');
        await new Promise((r) => setTimeout(r, 50));
        socket.write('NG\r\n');
        assert.equal(await closed, '+PONG\r\n');
      } finally {
        await server.close();
      }
    });

    it('closes the connection when a complete line does not match', async () => {
      const server = await scriptedServer([{ expect: /^QUIT/ }, { send: 'bye\r\n' }]);
      try {
        const { socket, closed } = await dial(server.port);
        socket.write('HELLO\r\n');
        assert.equal(await closed, '', 'closed without playing the rest');
      } finally {
        await server.close();
      }
    });

    it('plays the script again for each client', async () => {
      const server = await scriptedServer([{ send: 'hi\n' }, { close: true }]);
      try {
        for (let i = 0; i < 2; i++) assert.equal(await (await dial(server.port)).closed, 'hi\n');
      } finally {
        await server.close();
      }
    });
  });

  describe('testSpawner', () => {
    it('reports the exit status and output, stderr then stdout', async () => {
      const r = await testSpawner.run({ argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
      assert.deepEqual([r.status, r.signal, r.stdout, r.stderr, r.output, r.timedOut], [3, null, 'out\n', 'err\n', 'err\nout\n', false]);
      assert.equal(r.spawnError, undefined);
      const s = await testSpawner.run({ argv: ['sh', '-c', 'printf out; printf err >&2'] });
      assert.equal(s.output, 'err\nout', 'a line break between the streams, like core');
    });

    it('passes env and cwd, without a shell', async () => {
      const r = await testSpawner.run({ argv: ['sh', '-c', 'echo "$X $(pwd)"'], env: { X: 'a;b' }, cwd: '/tmp' });
      assert.equal(r.stdout, 'a;b /tmp\n');
      const p = await testSpawner.run({ argv: ['printf', '%s|', '$HOME', '; x'] });
      assert.equal(p.stdout, '$HOME|; x|');
    });

    it('keeps at most outputLimit bytes of each stream', async () => {
      const r = await testSpawner.run({ argv: ['sh', '-c', 'head -c 5000 /dev/zero | tr "\\0" a; head -c 5000 /dev/zero | tr "\\0" b >&2'], outputLimit: 10 });
      assert.deepEqual([r.stdout, r.stderr, r.status], ['aaaaaaaaaa', 'bbbbbbbbbb', 0]);
      const d = await testSpawner.run({ argv: ['sh', '-c', 'head -c 2000 /dev/zero'] });
      assert.equal(d.stdout.length, 512, 'Monit programOutput by default');
    });

    it('kills the whole process group at the timeout', async () => {
      const started = Date.now();
      const r = await testSpawner.run({ argv: ['sh', '-c', 'sleep 5; echo late'], timeoutMs: 150 });
      assert.equal(r.timedOut, true);
      assert.equal(r.status, null);
      assert.equal(r.signal, 'SIGKILL');
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    });

    it('kills on abort, and does not start when already aborted', async () => {
      const controller = new AbortController();
      const running = testSpawner.run({ argv: ['sleep', '5'], signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const r = await running;
      assert.deepEqual([r.signal, r.timedOut], ['SIGKILL', false]);
      assert.ok(r.pid !== undefined && !alive(r.pid));
      const never = await testSpawner.run({ argv: ['sleep', '5'], signal: AbortSignal.abort() });
      assert.equal(never.spawnError, `'sleep' not started -- aborted`);
      assert.equal(never.pid, undefined);
    });

    it('resolves with spawnError when the program cannot start', async () => {
      const r = await testSpawner.run({ argv: ['/nonexistent/prog'] });
      assert.equal(r.status, null);
      assert.match(r.spawnError ?? '', /^cannot execute '\/nonexistent\/prog' -- .*ENOENT/);
      const empty = await testSpawner.run({ argv: [] });
      assert.equal(empty.spawnError, 'cannot execute an empty command');
    });

    it('runs as another uid and gid (needs root)', async () => {
      assert.equal(process.getuid?.(), 0, 'this test must run as root (CI does)');
      const both = await testSpawner.run({ argv: ['sh', '-c', 'echo $(id -u) $(id -g)'], uid: 65534, gid: 65534 });
      assert.equal(both.stdout, '65534 65534\n');
      const uidOnly = await testSpawner.run({ argv: ['sh', '-c', 'echo $(id -u) $(id -g)'], uid: 65534 });
      assert.equal(uidOnly.stdout, '65534 65534\n', 'the group comes from /etc/passwd, never root');
      const unknown = await testSpawner.run({ argv: ['true'], uid: 4_000_000 });
      assert.match(unknown.spawnError ?? '', /no such user in \/etc\/passwd/);
    });
  });

  describe('parse helpers refuse trailing words', () => {
    const test = defineTest<{ n: number }>({
      name: 'x.count', summary: 's', serviceTypes: ['x'], keywords: ['count'], polarities: ['none'], event: 'resource', codes: {},
      parse(ts) {
        ts.expect('count');
        const comparison = ts.comparison(['none']);
        return { options: { n: comparison.value }, condition: { kind: 'compare', comparison }, describe: `count ${comparison.op} ${comparison.text}` };
      },
      run: () => ok('fine'),
    });
    const type = defineServiceType<{ path: string }>({
      name: 'x', summary: 's', keywords: ['x'], monitType: 'file',
      parseTarget(ts) {
        ts.expect('path');
        return { path: ts.path() };
      },
    });
    const action = defineAction<{ cmd: string }>({
      name: 'say', summary: 's', keywords: ['say'],
      parse: (ts) => ({ cmd: ts.string() }),
      run: async () => ({ status: 'done', message: '' }),
    });

    function message(fn: () => unknown): string {
      try {
        fn();
      } catch (err) {
        assert.ok(isParseError(err));
        return String(err);
      }
      throw new Error('expected an error');
    }

    it('parseTest', () => {
      assert.equal(parseTest(test, 'count > 5').describe, 'count > 5');
      assert.equal(message(() => parseTest(test, 'count > 5 extra')), `test.monitrc:1: syntax error 'extra', expected the end of the test`);
    });
    it('parseTarget', () => {
      assert.deepEqual(parseTarget(type, 'with path /x'), { path: '/x' });
      assert.equal(message(() => parseTarget(type, 'path /x more')), `test.monitrc:1: syntax error 'more', expected the end of the service header`);
    });
    it('parseAction', () => {
      assert.deepEqual(parseAction(action, '"hi"'), { cmd: 'hi' });
      assert.equal(message(() => parseAction(action, '"hi" there')), `test.monitrc:1: syntax error 'there', expected the end of the action`);
    });
  });
});
