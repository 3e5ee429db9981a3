import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DaemonLogger } from './logger.js';
import { syslogFacility, syslogPriority } from './syslog-sink.js';

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Poll `check` every 20 ms for at most `ms`. */
async function waitFor(check: () => boolean, ms = 5000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 20) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

function read(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

describe('syslog target', () => {
  let dir: string;
  let savedPath: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-syslog-'));
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A `logger` first on PATH whose body runs after it answers `--help`. */
  function fakeLogger(body: string): void {
    const script = join(dir, 'logger');
    writeFileSync(
      script,
      `#!/bin/sh\nif [ "$1" = --help ]; then echo ' --prio-prefix --socket-errors[=<on|off|auto>] -i, --id[=<id>]'; exit 0; fi\n${body}\n`,
    );
    chmodSync(script, 0o755);
    process.env.PATH = `${dir}${delimiter}${savedPath ?? ''}`;
  }

  it('computes PRI from facility and level', () => {
    assert.equal(syslogFacility('log_local0'), 16);
    assert.equal(syslogFacility('LOCAL7'), 23);
    assert.equal(syslogFacility('log_daemon'), 3);
    assert.equal(syslogFacility('log_user'), 1);
    assert.equal(syslogFacility(''), 1);
    assert.equal(syslogPriority(16, 'error'), 131);
    assert.equal(syslogPriority(3, 'warning'), 28);
    assert.equal(syslogPriority(1, 'info'), 14);
    assert.equal(syslogPriority(23, 'debug'), 191);
  });

  it('hands <PRI>message lines to one long-lived logger process', async function () {
    this.timeout(10000);
    const out = join(dir, 'received');
    fakeLogger(`echo "ARGS $*" >> '${out}'\nexec cat >> '${out}'`);
    const log = new DaemonLogger({ target: { kind: 'syslog', facility: 'log_local0' }, verbosity: 1 });
    log.child('dummy').error('process is not running');
    log.info('two\nlines');
    log.debug('detail');
    const want = "<131>'dummy' process is not running\n<134>two\n<134>lines\n<135>detail\n";
    assert.ok(await waitFor(() => read(out).endsWith(want)), `got ${JSON.stringify(read(out))}`);
    const args = read(out).split('\n')[0]!;
    assert.match(args, /^ARGS --prio-prefix -t warden --id=\d+ --socket-errors=off$/);
    assert.equal(read(out).match(/^ARGS/gm)?.length, 1, 'one process for every line');
    log.close();
  });

  it('falls back to standard error with one warning when logger is missing', () => {
    const err = collector();
    process.env.PATH = dir;
    const log = new DaemonLogger({ target: { kind: 'syslog', facility: 'log_daemon' }, stderr: err.stream });
    log.info('after fallback');
    const lines = err.text().trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /warning  : syslog unavailable \(cannot run 'logger': .*ENOENT.*\); logging to standard error$/);
    assert.match(lines[1]!, /\] info     : after fallback$/);
  });

  it('falls back to standard error when logger dies, and retries on reopen', async function () {
    this.timeout(10000);
    const err = collector();
    fakeLogger('exit 3');
    const log = new DaemonLogger({ target: { kind: 'syslog', facility: 'log_daemon' }, stderr: err.stream });
    assert.ok(await waitFor(() => err.text().includes('syslog unavailable')));
    assert.match(err.text(), /'logger' exited \(status 3\)/);
    log.info('to stderr now');
    assert.match(err.text(), /info     : to stderr now\n$/);
    assert.equal(err.text().match(/syslog unavailable/g)?.length, 1);

    const out = join(dir, 'received');
    fakeLogger(`exec cat >> '${out}'`);
    log.reopen();
    log.warning('back on syslog');
    assert.ok(await waitFor(() => read(out) === '<28>back on syslog\n'), `got ${JSON.stringify(read(out))}`);
    log.close();
  });

  it('keeps the real util-linux logger running with these arguments', async function () {
    if (!existsSync('/usr/bin/logger')) this.skip();
    this.timeout(10000);
    const err = collector();
    const log = new DaemonLogger({ target: { kind: 'syslog', facility: 'log_user' }, stderr: err.stream });
    log.info('warden syslog self-test');
    await sleep(300);
    assert.equal(err.text(), '');
    log.close();
  });
});
