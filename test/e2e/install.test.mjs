// Installing warden as a user would: `npm pack` every published workspace, then
// `npm install -g` of the tarballs into a temporary prefix, offline (the npm cache has the
// third-party packages), and run the installed `warden` from that prefix.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readText, ROOT, stopChild, tempDir, waitFor, writeControlFile } from './harness.mjs';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The workspace folders npm would publish (not private), from the root package.json. */
function publishedWorkspaces() {
  const folders = [];
  for (const pattern of readJson(join(ROOT, 'package.json')).workspaces) {
    const names = pattern.endsWith('/*') ? readdirSync(join(ROOT, pattern.slice(0, -2))).map((n) => join(pattern.slice(0, -2), n)) : [pattern];
    for (const folder of names) {
      const pkg = join(ROOT, folder, 'package.json');
      if (existsSync(pkg) && !readJson(pkg).private) folders.push(folder);
    }
  }
  return folders;
}

function npm(args, cwd) {
  const res = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  assert.equal(res.status, 0, `npm ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
  return res;
}

describe('install: npm pack + npm install -g of the tarballs', function () {
  this.timeout(120_000);
  let t;
  let prefix;
  let bin;
  /** The installed warden to its end, `{ status, stdout, stderr }`; several may run at once. */
  const run = (args, cwd = t.dir) =>
    new Promise((resolve, reject) => {
      const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = { stdout: '', stderr: '' };
      child.stdout.on('data', (d) => (out.stdout += d));
      child.stderr.on('data', (d) => (out.stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, ...out }));
    });

  before(() => {
    t = tempDir('warden-install-');
    prefix = join(t.dir, 'prefix');
    const packs = join(t.dir, 'packs');
    mkdirSync(packs);
    npm(['pack', '--offline', '--pack-destination', packs, ...publishedWorkspaces().flatMap((w) => ['--workspace', w])], ROOT);
    const tarballs = readdirSync(packs).filter((n) => n.endsWith('.tgz')).map((n) => join(packs, n));
    npm(['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, ...tarballs], t.dir);
    bin = join(prefix, 'bin', 'warden');
  });
  after(() => t?.cleanup());

  it('core depends on every built-in plugin, so installing the CLI brings them', () => {
    const deps = readJson(join(ROOT, 'core', 'package.json')).dependencies;
    const builtins = readFileSync(join(ROOT, 'core', 'src', 'plugins', 'builtins.generated.ts'), 'utf8').match(/'@warden\/plugin-[^']+'/g).map((s) => s.slice(1, -1));
    for (const name of builtins) assert.ok(deps[name], `core/package.json must list the built-in ${name} in dependencies`);
  });

  it('puts warden on PATH; -V prints the version', () => {
    assert.doesNotThrow(() => accessSync(bin, constants.X_OK));
    const res = spawnSync('warden', ['-V'], { encoding: 'utf8', env: { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /^This is warden version \d+\.\d+\.\d+/);
    const native = join(prefix, 'lib', 'node_modules', '@warden', 'core', 'dist', 'native');
    assert.ok(existsSync(join(native, 'reaper.node')), 'the PID 1 reaper addon was not built at install');
    assert.ok(existsSync(join(native, 'stat.node')), 'the stat addon was not built at install');
  });

  it('--help lists the actions, examples and exit status; help ACTION explains one', async () => {
    const [help, quit, bad] = await Promise.all([run(['--help']), run(['help', 'quit']), run(['help', 'frobnicate'])]);
    assert.equal(help.status, 0, help.stderr);
    for (const re of [/^Usage: warden \[options\]/m, /^ reload +- Reinitialize the running daemon/m, /^Examples:$/m, /^Exit status:$/m, /--log-format <format>/]) assert.match(help.stdout, re);
    assert.equal(quit.status, 0, quit.stderr);
    assert.match(quit.stdout, /^Usage: warden \[-c FILE\] \[-p PIDFILE\] quit$/m);
    assert.match(quit.stdout, /removes its pid file and exits 0/);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Invalid argument -- frobnicate/);
  });

  it('-t accepts a control file using the built-in plugins, and examples/monitrc', async () => {
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 30',
      'check system $HOST',
      '  if loadavg (1min) > 100 then alert',
      'check file hosts with path /etc/hosts',
      '  if changed checksum then alert',
      'check filesystem root with path /',
      '  if space usage > 99% then alert',
      'check host localhost with address 127.0.0.1',
      '  if failed ping then alert',
      '  if failed port 1 type tcp protocol http then alert',
      'check program true with path /bin/true',
      '  if status != 0 then alert',
      '',
    ].join('\n'));
    const [res, example] = await Promise.all([run(['-t', '-c', file]), run(['-t', '-c', 'examples/monitrc'], ROOT)]);
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Control file syntax OK/);
    assert.equal(example.status, 0, example.stderr);
  });

  it('runs the daemon from the prefix, and stops it cleanly on TERM', async () => {
    const log = join(t.dir, 'warden.log');
    const pidfile = join(t.dir, 'warden.pid');
    const file = writeControlFile(join(t.dir, 'daemonrc'), [
      'set daemon 1',
      `set log ${log}`,
      `set pidfile ${pidfile}`,
      `set idfile ${join(t.dir, 'warden.id')}`,
      `set statefile ${join(t.dir, 'warden.state')}`,
      'check file hosts with path /etc/hosts',
      '  if does not exist then alert',
      '',
    ].join('\n'));
    const child = spawn(bin, ['-I', '-v', '-c', file], { cwd: t.dir, stdio: 'ignore' });
    const h = { child, exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))) };
    try {
      await waitFor(() => (readText(log).match(/'hosts' file exists/g) ?? []).length >= 2, 10_000, 'two cycles');
      assert.ok(existsSync(pidfile));
    } finally {
      const exit = await stopChild(h);
      assert.equal(exit.code, 0, readText(log));
    }
    assert.ok(!existsSync(pidfile), 'the pid file is removed at exit');
  });
});
