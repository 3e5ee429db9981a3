// Every file in examples/ must stay valid: `npm start` runs examples/monitrc, the README and
// the migration guides point at the others. contrib/ holds what packagers install.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((name) => !name.startsWith('.') && statSync(join(root, 'examples', name)).isFile());

/** The service types each example must declare, so a file cannot quietly lose its point. */
const EXPECTED_TYPES = {
  'monitrc': ['file', 'directory', 'program'],
  'nginx.monitrc': ['process', 'file'],
  'postgres.monitrc': ['process', 'filesystem'],
  'redis.monitrc': ['process'],
  'sshd.monitrc': ['process', 'file'],
  'node-app.monitrc': ['job', 'host'],
  'disks.monitrc': ['filesystem'],
  'remote-https.monitrc': ['host'],
  'snmp-router.monitrc': ['host'],
  'pmtr.conf': ['job'],
};

/** What a parse failure most likely means, for a clear message while plugins are missing. */
function hint(stderr) {
  if (/syntax error 'process'/.test(stderr)) return ' -- `check process` needs the process plugin (plugins/process, @warden/plugin-process)';
  if (/syntax error 'job'/.test(stderr)) return ' -- `check job` needs the supervisor plugin (plugins/supervisor, @warden/plugin-supervisor)';
  return '';
}

/** Run warden to its end: `{ status, stdout, stderr }`. */
function warden(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'core/bin/warden.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (out.stdout += d));
    child.stderr.on('data', (d) => (out.stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, ...out }));
  });
}

describe('structure: examples/', function () {
  this.timeout(30_000);
  // `-t --json`: the same check as `-t`, printing the services; every file at once.
  const runs = new Map();
  before(async () => {
    await Promise.all(examples.map(async (name) => runs.set(name, await warden(['-t', '--json', '-c', `examples/${name}`]))));
  });

  it('lists an expectation for every example file, and every expectation has its file', () => {
    assert.deepEqual([...examples].sort(), Object.keys(EXPECTED_TYPES).sort());
  });

  for (const name of examples) {
    it(`examples/${name} passes \`warden -t\` from the repository root, as npm start runs it`, () => {
      const run = runs.get(name);
      const parsed = run.status === 0 ? JSON.parse(run.stdout) : undefined;
      assert.equal(run.status, 0, `examples/${name}: ${parsed ? '' : run.stdout}${run.stderr}${hint(run.stdout + run.stderr)}`);
      const types = new Set(parsed.services.map((s) => s.type));
      for (const type of EXPECTED_TYPES[name] ?? []) assert.ok(types.has(type), `examples/${name} has no service of type ${type}: ${[...types]}`);
      // Only the permission notice of a git checkout (0644) may be warned about.
      assert.deepEqual(parsed.warnings.filter((w) => !/permission 0\d+ is wider than/.test(w)), []);
    });
  }

  it('examples/scripts/* are executable', () => {
    for (const name of readdirSync(join(root, 'examples/scripts'))) {
      assert.doesNotThrow(() => accessSync(join(root, 'examples/scripts', name), constants.X_OK), `${name} is not executable`);
    }
  });
});

describe('structure: contrib/', function () {
  this.timeout(10_000);
  it('warden.service runs warden in the foreground, reloads with warden reload, leaves started services alone', () => {
    const unit = readFileSync(join(root, 'contrib/warden.service'), 'utf8');
    for (const line of ['Type=simple', 'ExecStart=warden -I -c /etc/warden/monitrc', 'ExecReload=warden -c /etc/warden/monitrc reload', 'KillMode=process', 'Restart=on-abnormal', 'WantedBy=multi-user.target']) {
      assert.match(unit, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), `contrib/warden.service lacks ${line}`);
    }
  });

  it('contrib/monitrc, the Dockerfile\'s control file, passes `warden -t`', async () => {
    const run = await warden(['-t', '-c', 'contrib/monitrc']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Control file syntax OK$/m);
  });

  it('the Dockerfile runs warden itself as PID 1, in the foreground', () => {
    const docker = readFileSync(join(root, 'contrib/Dockerfile'), 'utf8').replace(/^#.*\n/gm, '');
    assert.match(docker, /^ENTRYPOINT \["warden", "-I"/m);
    assert.doesNotMatch(docker, /tini|dumb-init|--init/, 'warden reaps orphans itself as PID 1');
    assert.match(docker, /^STOPSIGNAL SIGTERM$/m);
    assert.match(docker, /^COPY contrib\/monitrc \/etc\/warden\/monitrc$/m);
  });
});
