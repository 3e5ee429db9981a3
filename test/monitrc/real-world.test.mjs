// Real control files — Debian's own (/etc/monit/monitrc, /etc/monit/conf-available/*, from
// the `monit` package) and the ones under test/fixtures/monitrc/ — go through the real
// `monit -t -v` and warden's `-t --json` (in-process: `readConfig` + `toJson`, what the CLI
// prints; the CLI itself runs on one file, since a Node start per file is slow): both
// accept or both refuse each file, and when they accept, they list the same services
// (name and type) in the same order.
// Needs the Debian package `monit`; without it these tests fail.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ROOT, WARDEN } from '../e2e/harness.mjs';
import { monitServices } from './fixtures.mjs';
import { readConfig } from '../../core/dist/config/read-config.js';
import { toJson } from '../../core/dist/config/monitrc/model-json.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'monitrc');
const DEBIAN = ['/etc/monit/monitrc', ...listDir('/etc/monit/conf-available')];

function listDir(dir) {
  return existsSync(dir) ? readdirSync(dir).sort().map((f) => join(dir, f)) : [];
}

/** Run a command to completion (bounded), without blocking the other runs. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', (err) => resolve({ status: -1, stdout, stderr: String(err) }));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('monitrc: real control files agree with monit -t -v', function () {
  this.timeout(60_000);
  let dir;
  const results = new Map();

  before(async () => {
    assert.ok(existsSync('/usr/bin/monit'), 'these tests need the Debian package monit');
    dir = mkdtempSync(join(tmpdir(), 'warden-real-'));
    const files = [...listDir(FIXTURES), ...DEBIAN].map((src, i) => {
      const file = join(dir, `${i}-${basename(src)}.rc`);
      // monit -t creates its id file (default ~/.monit.id): keep it in the temp folder.
      writeFileSync(file, `set idfile ${dir}/monit.id\n${readFileSync(src, 'utf8')}`);
      chmodSync(file, 0o600);
      return { src, file };
    });
    const monits = await Promise.all(files.map(({ file }) => run('monit', ['-t', '-v', '-c', file])));
    for (const [i, { src, file }] of files.entries()) {
      let warden;
      try {
        warden = { status: 0, stdout: JSON.stringify(toJson((await readConfig(file)).model)) };
      } catch (e) {
        warden = { status: 1, stdout: '', stderr: String(e) };
      }
      results.set(src, { file, monit: monits[i], warden });
    }
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('has a dozen real-world fixtures and Debian\'s files', () => {
    assert.ok(listDir(FIXTURES).length >= 12);
    assert.ok(DEBIAN.length >= 10, 'Debian\'s /etc/monit/conf-available is missing');
  });

  for (const src of [...listDir(FIXTURES), ...DEBIAN]) {
    it(`${src.replace(`${ROOT}/`, '')}`, () => {
      const { monit, warden } = results.get(src);
      if (monit.status !== 0) {
        // A file Monit refuses here (a group this system lacks): warden refuses it too.
        assert.notEqual(warden.status, 0, `monit refused it (${monit.stderr.trim()}) but warden accepted it`);
        return;
      }
      assert.equal(warden.status, 0, `warden refused what monit accepts: ${warden.stdout}${warden.stderr}`);
      const json = JSON.parse(warden.stdout);
      const mine = json.services.map((s) => ({ type: s.type, name: s.name }));
      assert.deepEqual(mine, monitServices(monit.stdout));
    });
  }

  it('the real CLI prints the same list as monit -t -v', async () => {
    const { file, monit } = results.get(join(FIXTURES, 'nginx.monitrc'));
    const cli = await run(process.execPath, [WARDEN, '-t', '--json', '-c', file]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout).services.map((s) => ({ type: s.type, name: s.name })), monitServices(monit.stdout));
  });

  it('fixtures are accepted by monit itself (they are valid Monit 5.33 files)', () => {
    for (const src of listDir(FIXTURES)) assert.equal(results.get(src).monit.status, 0, `${src}: ${results.get(src).monit.stderr}`);
  });
});
