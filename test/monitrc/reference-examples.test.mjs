// Every example of the Monit 5.33 feature inventory parses, and every snippet Monit rejects
// (its Appendix A) fails with Monit's message. The parse runs in-process through
// `readConfig`, the function `warden -t` calls, on files written to a temp folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../core/dist/config/read-config.js';
import { describeError } from '../../core/dist/daemon/describe-error.js';
import { diagnosticText } from '../../core/dist/config/monitrc/model-json.js';
import { ACCEPTED, MORE_REJECTED, REJECTED, STRICTER } from './reference-cases.mjs';
import { makeFixtures, writeCase } from './fixtures.mjs';

/**
 * Rows where Monit's text is an artefact of its lexer, not a message: warden says what is
 * wrong instead. Documented in docs/CONFIGURATION.md, "Differences from Monit".
 */
const WARDEN_WORDING = {
  // Monit's lexer sees an unbalanced quote inside `"web servers"`.
  T32b: "syntax error '\"web servers\"', expected a group name without spaces",
  // Monit's lexer splits `cycle` into `c` + `ycle`.
  T43b: "syntax error 'cycle', expected a number of cycles",
};

/** Rows warden accepts on purpose: SHA-256 checksums are a warden extension. */
const WARDEN_EXTENSIONS = new Set(['F05', 'X10', 'X11']);

/** Monit warnings (exit 0) on accepted files, in Monit's words. */
const WARNINGS = [
  { id: 'W-every', text: 'check process p with pidfile @MV@/p.pid\n  every 2 cycles\n  every 3 cycles', warning: "@F@:5: The 'every' statement can be specified only once, the last value will be used '3'" },
  { id: 'W-exec', text: 'check file f with path @MV@/f.txt\n  if changed size then exec "/my/script"', warning: "@F@:4: Program does not exist: '/my/script'" },
  { id: 'W-start', text: 'check process p with pidfile @MV@/p.pid\n  start program = "/etc/init.d/nope start"', warning: "@F@:4: Program does not exist: '/etc/init.d/nope'" },
  { id: 'W-credentials', text: 'set httpd port 2812 allow admin:monit allow admin:other', warning: "@F@:3: Credentials for user admin were already added, entry ignored 'other'" },
  { id: 'W-mmonit', text: 'set mmonit http://127.0.0.1:8080/collector', warning: "@F@:3: M/Monit enabled but no httpd allowed -- please add 'set httpd' statement" },
];

async function errorOf(file) {
  try {
    await readConfig(file);
  } catch (e) {
    // Anything but a positioned parse error or a control-file error is a bug.
    assert.ok(e?.name === 'WardenParseError' || e?.name === 'WardenControlFileError', `unexpected ${e?.stack ?? e}`);
    return describeError(e);
  }
  return undefined;
}

describe('monitrc: the Monit 5.33 reference examples', function () {
  this.timeout(20_000);
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-ref-'));
    makeFixtures(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The cases are facts about Monit 5.33: check them against the installed `monit` (Debian
  // package monit), so a case written wrong cannot pass for a warden behaviour.
  describe('the cases hold for the installed monit', () => {
    it('monit -t accepts every ACCEPTED and STRICTER case', () => {
      const refused = [];
      for (const c of [...ACCEPTED, ...STRICTER]) {
        const r = spawnSync('monit', ['-t', '-c', writeCase(dir, `monit-${c.id}`, c.text)], { encoding: 'utf8', timeout: 10_000 });
        if (r.status !== 0) refused.push(`${c.id}: ${r.stderr || r.error}`);
      }
      assert.deepEqual(refused, []);
    });

    it('monit -t refuses every REJECTED case with the recorded message', () => {
      const differ = [];
      for (const c of [...REJECTED, ...MORE_REJECTED]) {
        const file = writeCase(dir, c.id, c.text);
        const r = spawnSync('monit', ['-t', '-c', file], { encoding: 'utf8', timeout: 10_000 });
        const expected = c.message.replaceAll('@MV@', dir).replace(new RegExp(`(^|\\n)${c.id}\\.rc:`, 'g'), `$1${file}:`);
        if (r.status !== 1 || !r.stderr.startsWith(expected)) differ.push(`${c.id}: ${JSON.stringify(r.stderr)} (status ${r.status})`);
      }
      assert.deepEqual(differ, []);
    });
  });

  describe('accepted by Monit, accepted by warden', () => {
    for (const c of ACCEPTED) {
      it(`${c.id}: ${c.text.split('\n')[0].slice(0, 70)}`, async () => {
        const err = await errorOf(writeCase(dir, c.id, c.text));
        assert.equal(err, undefined, `${c.id} was rejected: ${err}`);
      });
    }
  });

  describe("rejected by Monit (Appendix A), rejected by warden with Monit's message", () => {
    for (const c of [...REJECTED, ...MORE_REJECTED]) {
      it(`${c.id}: ${c.text.split('\n').pop().trim().slice(0, 70)}`, async () => {
        const file = writeCase(dir, c.id, c.text);
        const got = await errorOf(file);
        if (WARDEN_EXTENSIONS.has(c.id)) {
          assert.equal(got, undefined, `${c.id}: warden accepts SHA-256 on purpose`);
          return;
        }
        assert.ok(got !== undefined, `${c.id} was accepted; Monit says: ${c.message}`);
        const withPath = (text) => text.replaceAll('@MV@', dir).replace(new RegExp(`(^|\\n)${c.id}\\.rc:`, 'g'), `$1${file}:`);
        if (WARDEN_WORDING[c.id]) {
          assert.equal(got, `${file}:${c.message.split(':')[1]}: ${WARDEN_WORDING[c.id]}`);
          return;
        }
        const expected = withPath(c.message);
        const lines = expected.split('\n');
        // Monit prints a semantic error then the syntax error it causes; warden reports one of them.
        const twoPositioned = lines.length === 2 && lines.every((l) => l.startsWith(`${file}:`));
        const matches = got.startsWith(expected) || (twoPositioned && lines.some((l) => got.split('\n')[0].startsWith(l)));
        assert.ok(matches, `${c.id}:\n  warden: ${JSON.stringify(got)}\n  monit:  ${JSON.stringify(expected)}`);
      });
    }
  });

  describe('accepted by Monit, refused by warden on purpose', () => {
    for (const c of STRICTER) {
      it(`${c.id}`, async () => {
        const file = writeCase(dir, c.id, c.text);
        assert.equal(await errorOf(file), c.message.replace('@F@', file));
      });
    }
  });

  describe('warnings, in Monit words', () => {
    for (const w of WARNINGS) {
      it(`${w.id}`, async () => {
        const file = writeCase(dir, w.id, w.text);
        const { model } = await readConfig(file);
        assert.ok(model.warnings.map(diagnosticText).includes(w.warning.replace('@F@', file)), JSON.stringify(model.warnings));
      });
    }
  });

  it('reports every semantic error, not just the first', async () => {
    const file = writeCase(dir, 'semantic', 'check host a with address 127.0.0.1\ncheck host b with address 127.0.0.1\ncheck program prog with path @MV@/prog.sh\ncheck file f with path @MV@/f.txt depends on nosuch');
    const got = await errorOf(file);
    // Each service is checked when the next `check` starts; Monit checks `depends` only
    // when no error came before, so `nosuch` is not reported here (see all-errors.test.mjs).
    assert.equal(got, [
      "'check host' statement is incomplete: Please specify a port number to test\n or an icmp test at the remote host: 'a'",
      "'check host' statement is incomplete: Please specify a port number to test\n or an icmp test at the remote host: 'b'",
      "'check program prog' is incomplete: Please add a 'status' or 'content' test",
    ].join('\n'));
  });

  it('reports every unknown user or group of the start/stop programs, then a syntax error after them', async () => {
    const file = writeCase(dir, 'users', 'check process p with pidfile @MV@/p.pid\n  start program = "/bin/true" as uid nosuchuser\n  stop program = "/bin/true" as uid nobody and gid nosuchgroup\n  if cpu > then alert');
    assert.equal(await errorOf(file), [
      `${file}:4: Requested user not found on the system 'nosuchuser'`,
      `${file}:5: Requested group not found on the system 'nosuchgroup'`,
      `${file}:6: syntax error 'then', expected a number`,
    ].join('\n'));
  });

  it('counts warden\'s nagios test as completing a check program', async () => {
    assert.equal(await errorOf(writeCase(dir, 'nagios', 'check program prog with path @MV@/prog.sh\n  if failed nagios then alert')), undefined);
  });

  it('keeps the global statements in the model', async () => {
    const file = writeCase(dir, 'globals', [
      'set daemon 30', 'set init', 'set terminal batch', 'set fips', 'set onreboot laststate',
      'set ssl { verify: enable, selfsigned: reject, version: tlsv12 tlsv13, ciphers: "HIGH" }',
      'set limits { programOutput: 1 kB, networkTimeout: 10 s, startTimeout: 500 ms, concurrency: 4 }',
      'set expectbuffer 1 kb',
      'set httpd port 2812 allow admin:monit',
      'set mmonit https://monit:monit@10.0.0.5:8443/collector with timeout 30 seconds and register without credentials',
    ].join('\n'));
    const { globals } = (await readConfig(file)).model;
    assert.equal(globals.init, true);
    assert.equal(globals.terminalBatch, true);
    assert.equal(globals.fips, true);
    assert.equal(globals.onreboot, 'laststate');
    assert.deepEqual(globals.ssl, { verify: true, selfSigned: false, versions: ['tlsv12', 'tlsv13'], ciphers: 'HIGH' });
    assert.deepEqual(globals.limits, { programOutput: 1024, networkTimeout: 10_000, startTimeout: 500, sendExpectBuffer: 1024 });
    assert.equal(globals.concurrency, 4);
    assert.deepEqual(globals.mmonit.map((m) => [m.url, m.timeoutMs, m.registerCredentials]), [['https://monit:monit@10.0.0.5:8443/collector', 30_000, false]]);
  });

  it('set onreboot is the default of the services declared after it, as Monit does', async () => {
    const file = writeCase(dir, 'onreboot', 'set onreboot nostart\ncheck file f with path @MV@/f.txt\ncheck file g with path @MV@/f.txt\n  onreboot laststate');
    const { services } = (await readConfig(file)).model;
    assert.deepEqual(services.map((s) => [s.name, s.onreboot]), [['f', 'nostart'], ['g', 'laststate'], [services[2].name, 'nostart']]);
  });

  it('keeps ignore content and the last of several resources in one rule', async () => {
    const file = writeCase(dir, 'ignore', 'check file f with path @MV@/f.txt\n  ignore content = "monit"\n  ignore not match "x"\n  if content = "^panic" then alert\ncheck process p with pidfile @MV@/p.pid\n  if cpu > 50% memory > 100 MB then alert');
    const { services } = (await readConfig(file)).model;
    assert.deepEqual(services[0].ignores.map((i) => [i.not, i.options.patterns]), [[false, ['monit']], [true, ['x']]]);
    const rule = services[1].rules.find((r) => !r.implicit);
    assert.match(rule.describe, /mem/);
  });
});
