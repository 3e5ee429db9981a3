// Monit reports every semantic error of a control file (its `yyerror2`: the message is
// printed and parsing reads on), then stops at the first syntax error. `warden -t` must
// print the same errors in the same order, with the same exit code: each case runs the
// installed `monit -t` and the real `warden -t` on one file and compares them line by line.
// warden may add what it expected to a syntax error (`, expected …`), as everywhere else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WARDEN } from '../e2e/harness.mjs';
import { makeFixtures, writeCase } from './fixtures.mjs';

/** Files with several errors; each is run through both programs. */
const CASES = [
  {
    id: 'rates',
    why: 'three rates out of range in three services',
    text: 'check file a with path @MV@/f.txt\n  if changed timestamp for 100 cycles then alert\ncheck file b with path @MV@/f.txt\n  if size > 100 MB for 3 times within 2 cycles then alert\ncheck process p with pidfile @MV@/p.pid\n  if 5 restarts within 3 cycles then timeout',
    errors: 3,
  },
  {
    id: 'conflicts',
    why: 'a service name declared three times',
    text: 'check file a with path @MV@/f.txt\ncheck file a with path @MV@/prog.sh\ncheck file a with path @MV@/patterns',
    errors: 2,
  },
  {
    id: 'then-syntax',
    why: 'a semantic error, then a syntax error in the same rule',
    text: 'check file a with path @MV@/f.txt\n  if changed timestamp for 100 cycles then foo\ncheck file b with path @MV@/f.txt',
    errors: 2,
  },
  {
    id: 'users-rates-syntax',
    why: 'an unknown user, two rates, then a syntax error that ends the parse',
    text: 'check process p with pidfile @MV@/p.pid\n  start program = "/bin/true" as uid nosuchuser\n  if cpu > 50% for 0 cycles then alert\n  if 5 restarts within 3 cycles then timeout\n  if cpu > then alert\ncheck file z with path @MV@/f.txt\n  if changed timestamp for 99 cycles then alert',
    errors: 4,
  },
  {
    id: 'regex',
    why: 'a plugin error (content regex) is reported and the next rule still read',
    text: 'check file a with path @MV@/f.txt\n  if content = "[" then alert\n  if changed timestamp for 100 cycles then alert',
    errors: 2,
  },
  {
    id: 'blocks',
    why: 'an incomplete host is reported when the next check starts; after an error, depends and the last service are not checked',
    text: 'check host h with address 127.0.0.1\ncheck file f with path @MV@/f.txt\n  if changed timestamp for 100 cycles then alert\n  depends on nosuch\ncheck host last with address 127.0.0.1',
    errors: 2,
  },
  {
    id: 'postparse',
    why: 'without another error, depends is checked, then the last service',
    text: 'check file f with path @MV@/f.txt depends on nosuch\ncheck host last with address 127.0.0.1',
    errors: 2,
  },
];

/** The error messages of a run: stderr split at positioned messages and Monit's unpositioned ones. */
function messages(stderr) {
  return stderr.trimEnd().split(/\n(?! )/).filter((l) => l !== '');
}

describe('monitrc: every error of a file, as monit -t reports them', function () {
  this.timeout(30_000);
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-errors-'));
    makeFixtures(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`${c.id}: ${c.why}`, () => {
      const file = writeCase(dir, c.id, c.text);
      const monit = spawnSync('monit', ['-t', '-c', file], { encoding: 'utf8', timeout: 10_000 });
      const warden = spawnSync(process.execPath, [WARDEN, '-t', '-c', file], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
      const want = messages(monit.stderr);
      const got = messages(warden.stderr);
      // The case itself is a fact about Monit: it must report this many errors.
      assert.equal(want.length, c.errors, `monit: ${monit.stderr}`);
      assert.equal(monit.status, 1);
      assert.equal(warden.status, monit.status, warden.stderr);
      assert.equal(got.length, want.length, `warden:\n${warden.stderr}\nmonit:\n${monit.stderr}`);
      want.forEach((line, i) => assert.ok(got[i] === line || got[i].startsWith(`${line}, expected `), `line ${i + 1}: warden ${JSON.stringify(got[i])}, monit ${JSON.stringify(line)}`));
    });
  }
});
