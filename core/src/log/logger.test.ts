import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DaemonLogger } from './logger.js';

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

const FIXED = new Date(Date.UTC(2026, 10, 22, 8, 33, 34));
const STAMP = /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}\] /;

describe('DaemonLogger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends Monit lines to a file it creates', () => {
    const path = join(dir, 'warden.log');
    const log = new DaemonLogger({ target: { kind: 'file', path }, now: () => FIXED });
    log.info('Starting warden');
    log.child('dummy').error('process is not running');
    log.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, STAMP);
    assert.ok(lines[0]!.endsWith('] info     : Starting warden'));
    assert.ok(lines[1]!.endsWith("] error    : 'dummy' process is not running"));
    assert.equal(lines[2], '');
  });

  it('appends to an existing file rather than truncating it', () => {
    const path = join(dir, 'warden.log');
    const first = new DaemonLogger({ target: { kind: 'file', path } });
    first.info('one');
    first.close();
    const log = new DaemonLogger({ target: { kind: 'file', path } });
    log.info('two');
    log.close();
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 3);
  });

  it('reopens a fresh file after logrotate renamed the old one', () => {
    const path = join(dir, 'warden.log');
    const log = new DaemonLogger({ target: { kind: 'file', path } });
    log.info('before rotation');
    renameSync(path, `${path}.1`);
    log.info('still to the rotated file');
    log.reopen();
    log.info('after rotation');
    log.close();
    const old = readFileSync(`${path}.1`, 'utf8');
    assert.match(old, /before rotation\n.*still to the rotated file\n$/);
    assert.match(readFileSync(path, 'utf8'), /^\[[^\]]+\] info {5}: after rotation\n$/);
  });

  it('names the path when the log file cannot be opened', () => {
    const path = join(dir, 'missing-dir', 'warden.log');
    assert.throws(
      () => new DaemonLogger({ target: { kind: 'file', path } }),
      (err: Error) => err.message === `Error opening the log file '${path}' for writing -- No such file or directory`,
    );
    assert.throws(() => new DaemonLogger({ target: { kind: 'file', path: dir } }), new RegExp(`'${dir}'`));
  });

  it('keeps the old target when the new one cannot be opened', () => {
    const lines: string[] = [];
    const log = new DaemonLogger();
    log.captureTo(lines);
    assert.throws(() => log.setTarget({ kind: 'file', path: join(dir, 'no', 'x.log') }));
    log.info('still here');
    assert.equal(lines.length, 1);
  });

  it('switches from one file to another', () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    const log = new DaemonLogger({ target: { kind: 'file', path: a } });
    log.info('to a');
    log.setTarget({ kind: 'file', path: b });
    log.info('to b');
    log.close();
    assert.match(readFileSync(a, 'utf8'), /to a\n$/);
    assert.match(readFileSync(b, 'utf8'), /^[^\n]*to b\n$/);
  });

  it('writes to standard error by default', () => {
    const err = collector();
    const log = new DaemonLogger({ stderr: err.stream, now: () => FIXED });
    log.warning('careful');
    assert.match(err.text(), /^\[[^\]]+\] warning  : careful\n$/);
  });

  it('drops debug lines unless verbose', () => {
    const lines: string[] = [];
    const log = new DaemonLogger();
    log.captureTo(lines);
    log.debug('hidden');
    log.child('svc').debug('hidden too');
    log.info('shown');
    log.setVerbosity(1);
    log.debug('now shown');
    log.child('svc').debug('child shown');
    log.setVerbosity(0);
    log.debug('hidden again');
    assert.deepEqual(
      lines.map((l) => l.replace(STAMP, '')),
      ['info     : shown', 'debug    : now shown', "debug    : 'svc' child shown"],
    );
  });

  it('gives every child its own prefix and the parent’s settings', () => {
    const lines: string[] = [];
    const log = new DaemonLogger({ verbosity: 2 });
    log.captureTo(lines);
    const web = log.child('web');
    const db = log.child('db');
    web.info('up');
    db.warning('slow');
    web.error('down');
    db.debug('detail');
    assert.deepEqual(
      lines.map((l) => l.replace(STAMP, '')),
      ["info     : 'web' up", "warning  : 'db' slow", "error    : 'web' down", "debug    : 'db' detail"],
    );
  });

  it('writes JSON lines when asked', () => {
    const lines: string[] = [];
    const log = new DaemonLogger({ format: 'json', now: () => FIXED });
    log.captureTo(lines);
    log.child('web').error('down');
    log.info('daemon');
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(a!.service, 'web');
    assert.equal(a!.message, 'down');
    assert.equal(a!.level, 'error');
    assert.match(a!.time!, /^2026-11-2\dT/);
    assert.equal(b!.service, undefined);
    log.setFormat('text');
    log.info('plain');
    assert.match(lines[2]!, STAMP);
  });
});
