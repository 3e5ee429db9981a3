import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkControlFile, controlFileCandidates, findControlFile } from './control-file.js';

describe('control file', () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'warden-cf-')));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, mode: number): string {
    const path = join(dir, name);
    writeFileSync(path, 'set daemon 30\n');
    chmodSync(path, mode);
    return path;
  }

  it('looks in Monit\'s order (A36)', () => {
    assert.deepEqual(controlFileCandidates('/home/u', '/work'), [
      '/home/u/.monitrc', '/etc/monitrc', '/etc/monit/monitrc', '/usr/local/etc/monitrc', '/work/monitrc',
    ]);
  });

  it('takes -c as given, else the first candidate that exists', () => {
    const home = join(dir, 'home');
    const cwd = join(dir, 'cwd');
    mkdirSync(home);
    mkdirSync(cwd);
    const candidates = [join(home, '.monitrc'), join(cwd, 'monitrc')];
    assert.equal(findControlFile(undefined, candidates), undefined, 'none exists');
    writeFileSync(join(cwd, 'monitrc'), '');
    assert.equal(findControlFile(undefined, candidates), join(cwd, 'monitrc'));
    writeFileSync(join(home, '.monitrc'), '');
    assert.equal(findControlFile(undefined, candidates), join(home, '.monitrc'), 'the earlier one wins');
    assert.equal(findControlFile('relative/rc', candidates), join(process.cwd(), 'relative/rc'), '-c is resolved, not checked');
  });

  describe('permission verdicts (A37; warden warns where Monit refuses a readable file)', () => {
    const uid = process.getuid!();
    const table: Array<[number, string[], string[]]> = [
      [0o600, [], []],
      [0o700, [], []],
      [0o400, [], []],
      [0o640, [], ["permission 0640 is wider than Monit's maximum 0700"]],
      [0o644, [], ["permission 0644 is wider than Monit's maximum 0700"]],
      [0o660, ['permission 0660 is wrong: it must not be writable by group or others'], []],
      [0o666, ['permission 0666 is wrong: it must not be writable by group or others'], []],
    ];
    for (const [mode, errors, warnings] of table) {
      it(`0${mode.toString(8)}`, () => {
        const path = file(`rc${mode.toString(8)}`, mode);
        const verdict = checkControlFile(path, uid);
        assert.deepEqual(verdict.errors, errors.map((e) => `The control file '${path}' ${e}`));
        assert.deepEqual(verdict.warnings, warnings.map((w) => `The control file '${path}' ${w}`));
      });
    }
  });

  it('refuses what is not a file', () => {
    const missing = join(dir, 'nonexistent.rc');
    assert.deepEqual(checkControlFile(missing).errors, [`The control file '${missing}' is not a file`]);
    assert.deepEqual(checkControlFile(dir).errors, [`The control file '${dir}' is not a file`]);
  });

  it('follows a symlink to the file it names, as Monit does', () => {
    const target = file('real.rc', 0o600);
    const link = join(dir, 'link.rc');
    symlinkSync(target, link);
    assert.deepEqual(checkControlFile(link), { errors: [], warnings: [] });
  });

  it('refuses a file owned by someone else (needs root to chown)', () => {
    assert.equal(process.getuid?.(), 0, 'this test must run as root (CI does)');
    const path = file('not_owner.rc', 0o600);
    chownSync(path, 65534, 65534);
    assert.deepEqual(checkControlFile(path).errors, [`The control file '${path}' must be owned by you.`]);
    assert.deepEqual(checkControlFile(path, 65534).errors, [], 'its owner may use it');
  });
});
