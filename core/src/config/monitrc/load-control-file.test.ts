import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenize } from '@warden/sdk';
import { fakeRegistry } from './fake-registry.js';
import { findLoadStatements, loadControlFile, parseControlTokens, readControlFile } from './load-control-file.js';
import { staticUserLookup } from './user-lookup.js';

const deps = { users: staticUserLookup({}, {}), hostname: () => 'h' };

describe('loadControlFile', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-load-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads, expands and parses a control file with real files and globs', () => {
    mkdirSync(join(dir, 'conf.d'));
    write('monitrc', 'set daemon 10\ninclude conf.d/*.cfg\ninclude /nowhere-warden/x.cfg\n');
    write('conf.d/a.cfg', 'check file a with path /a\n  include ../rules.inc\n');
    write('conf.d/b.cfg', 'check file b with path /b depends on a\n');
    write('rules.inc', 'if timestamp > 5 minutes then alert\n');
    const model = loadControlFile(join(dir, 'monitrc'), fakeRegistry(), deps);
    assert.equal(model.file, join(dir, 'monitrc'));
    assert.deepEqual(model.services.map((s) => s.name), ['b', 'a', model.services[2]!.name]);
    assert.equal(model.services[2]!.monitType, 'system', 'the implicit system service comes last (A38)');
    const a = model.services[1];
    assert.deepEqual(a?.rules.map((r) => [r.describe, r.pos.file, r.pos.line]), [
      ['timestamp > 5 minutes', join(dir, 'rules.inc'), 1],
      ['does not exist', join(dir, 'conf.d', 'a.cfg'), 1],
    ]);
    assert.deepEqual(model.warnings, [
      { file: join(dir, 'monitrc'), line: 3, message: "Include failed -- No such file or directory '/nowhere-warden/x.cfg'" },
    ]);
  });

  it('names the included file in a syntax error', () => {
    write('monitrc', 'include bad.cfg');
    write('bad.cfg', 'check file f with path /f\n  if sizee > 1 then alert');
    assert.throws(() => loadControlFile(join(dir, 'monitrc'), fakeRegistry(), deps), (err: Error) => {
      assert.equal(String(err), `${join(dir, 'bad.cfg')}:2: syntax error 'sizee'`);
      return true;
    });
  });

  it('reports unbalanced quotes', () => {
    write('monitrc', 'check file "f with path /f');
    assert.throws(() => loadControlFile(join(dir, 'monitrc'), fakeRegistry(), deps), /unbalanced quotes/);
  });

  it('lets the caller load plugins between reading and parsing', () => {
    write('monitrc', 'load "@acme/x"\ncheck file f with path /f\n  if failed widget then alert');
    const read = readControlFile(join(dir, 'monitrc'), deps);
    assert.deepEqual(read.loads, [{ spec: '@acme/x', pos: { file: join(dir, 'monitrc'), line: 1 } }]);
    assert.throws(() => parseControlTokens(read, fakeRegistry(), deps), /syntax error 'widget'/);
  });
});

describe('findLoadStatements', () => {
  it('finds top-level load statements, quoted or not, and ignores load used as a value', () => {
    const tokens = tokenize([
      'set daemon 5',
      'load "@acme/warden-plugin-redis"',
      'LOAD /opt/plugins/x.js',
      'check file load with path /x',
      'check program load with path "/bin/x"',
      '  if failed load then alert',
      '  depends on load',
    ].join('\n'), 'rc');
    assert.deepEqual(findLoadStatements(tokens), [
      { spec: '@acme/warden-plugin-redis', pos: { file: 'rc', line: 2 } },
      { spec: '/opt/plugins/x.js', pos: { file: 'rc', line: 3 } },
    ]);
  });
});
