// Bad input at the command line: each mistake gives one clear message naming the file and
// line, exit status 1, and never a stack trace.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, warden, writeControlFile } from './harness.mjs';

const STACK = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

/** A plugin folder with a package.json and an index.js (plain ESM, no sdk import needed). */
function plugin(dir, name, { manifest, definitions }) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.js', ...(manifest ? { warden: manifest } : {}) }));
  writeFileSync(
    join(dir, 'index.js'),
    `export default { apiVersion: 1, definitions: ${JSON.stringify(definitions)}.map((d) => ({ ...d, parse: (ts) => ({ options: {}, condition: { kind: 'state' }, describe: d.keywords[0] }), run: () => ({ status: 'ok', message: 'fine' }) })) };\n`,
  );
}

const thing = (name) => ({ kind: 'test', name, summary: 'a test', serviceTypes: ['file'], keywords: [name.split('.')[1]], polarities: ['none'], event: 'data', codes: {} });

describe('warden -t on bad input', function () {
  this.timeout(30_000);
  let t;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  const cases = [
    { name: 'an unknown keyword', text: 'set daemon 5\nfrobnicate\n', line: 2, message: "syntax error 'frobnicate'" },
    { name: 'a bad number', text: 'set daemon abc\n', line: 1, message: "syntax error 'abc'" },
    { name: 'a missing then', text: 'check file hosts with path /etc/hosts\n  if does not exist alert\n', line: 2, message: "syntax error 'alert'" },
    { name: 'an action that does not exist', text: 'check file hosts with path /etc/hosts\n  if does not exist then reboot\n', line: 2, message: "syntax error 'reboot'" },
    { name: 'a test outside its service type', text: 'check file hosts with path /etc/hosts\n  if status != 0 then alert\n', line: 2, message: "syntax error 'status'" },
    { name: 'an unbalanced quote', text: 'check program p with path "/bin/true\n', line: 1, message: "unbalanced quotes '\"'" },
  ];
  for (const c of cases) {
    it(`reports ${c.name} with file and line, exit 1`, () => {
      const file = writeControlFile(join(t.dir, 'monitrc'), c.text);
      const res = warden(['-t', '-c', file]);
      assert.equal(res.status, 1, res.stdout + res.stderr);
      assert.ok(res.stderr.startsWith(`${file}:${c.line}: ${c.message}`), `stderr was: ${res.stderr}`);
      assert.doesNotMatch(res.stderr, STACK);
      assert.doesNotMatch(res.stdout, /syntax OK/);
    });
  }

  it('accepts a good file: "Control file syntax OK", exit 0', () => {
    const file = writeControlFile(join(t.dir, 'monitrc'), 'set daemon 5\ncheck file hosts with path /etc/hosts\n  if does not exist then alert\n');
    const res = warden(['-t', '-c', file]);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'Control file syntax OK');
  });

  it('refuses a plugin whose manifest is missing, naming the load statement', () => {
    plugin(join(t.dir, 'nomanifest'), 'nomanifest', { definitions: [thing('nomanifest.thing')] });
    const file = writeControlFile(join(t.dir, 'monitrc'), `set daemon 5\nload "${join(t.dir, 'nomanifest')}"\n`);
    const res = warden(['-t', '-c', file]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, new RegExp(`^${file}:2: plugin 'nomanifest' has no warden manifest`));
    assert.doesNotMatch(res.stderr, STACK);
  });

  it('refuses a plugin written for another API version', () => {
    plugin(join(t.dir, 'future'), 'future', { manifest: { apiVersion: 2, contributes: ['test:future.thing'] }, definitions: [thing('future.thing')] });
    const file = writeControlFile(join(t.dir, 'monitrc'), `load "./future"\n`);
    const res = warden(['-t', '-c', file]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, new RegExp(`^${file}:1: plugin 'future' is written for plugin API version 2; this warden supports version 1`));
  });

  it('refuses two plugins that define one name, naming both packages', () => {
    plugin(join(t.dir, 'one'), 'plugin-one', { manifest: { apiVersion: 1, contributes: ['test:same.thing'] }, definitions: [thing('same.thing')] });
    plugin(join(t.dir, 'two'), 'plugin-two', { manifest: { apiVersion: 1, contributes: ['test:same.thing'] }, definitions: [thing('same.thing')] });
    const file = writeControlFile(join(t.dir, 'monitrc'), 'load "./one"\nload "./two"\n');
    const res = warden(['-t', '-c', file]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, new RegExp(`^${file}:2: duplicate plugin definition 'test:same.thing': provided by both 'plugin-one' and 'plugin-two'`));
  });

  it('refuses a plugin whose manifest does not match its code', () => {
    plugin(join(t.dir, 'liar'), 'liar', { manifest: { apiVersion: 1, contributes: ['test:liar.other'] }, definitions: [thing('liar.thing')] });
    const file = writeControlFile(join(t.dir, 'monitrc'), 'load "./liar"\n');
    const res = warden(['-t', '-c', file]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /declared but not exported: test:liar\.other; exported but not declared: test:liar\.thing/);
  });

  it('says which option is invalid, exit 1', () => {
    const res = warden(['-z']);
    assert.equal(res.status, 1);
    assert.equal(res.stderr.trim(), 'Invalid option -- z  (-h will show valid options)');
  });

  it('says which argument is invalid, exit 1', () => {
    const file = writeControlFile(join(t.dir, 'monitrc'), 'set daemon 5\n');
    const res = warden(['-c', file, 'frob']);
    assert.equal(res.status, 1);
    assert.equal(res.stderr.trim(), 'Invalid argument -- frob  (-h will show valid arguments)');
  });

  it('reports a missing control file', () => {
    const res = warden(['-t', '-c', join(t.dir, 'nope')]);
    assert.equal(res.status, 1);
    assert.equal(res.stderr.trim(), `The control file '${join(t.dir, 'nope')}' is not a file`);
  });

  it('refuses a control file others can write to, warns when others can read it', () => {
    const file = writeControlFile(join(t.dir, 'monitrc'), 'set daemon 5\n');
    chmodSync(file, 0o666);
    const refused = warden(['-t', '-c', file]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.trim(), `The control file '${file}' permission 0666 is wrong: it must not be writable by group or others`);
    chmodSync(file, 0o644);
    const warned = warden(['-t', '-c', file]);
    assert.equal(warned.status, 0);
    assert.match(warned.stderr, /permission 0644 is wider than Monit's maximum 0700/);
  });

  it('prints the version and the hashes like monit -V / -H', () => {
    assert.match(warden(['-V']).stdout, /^This is warden version \d+\.\d+\.\d+/);
    const res = warden(['-H'], { input: 'hi\n' });
    assert.equal(res.stdout, 'SHA1(stdin) = 55ca6286e3e4f4fba5d0448333fa99fc5a404a73\nMD5(stdin)  = 764efa883dda1e11db47671c4a3bbd9e\n');
  });
});
