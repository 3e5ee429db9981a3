// The control-file examples in docs/MIGRATING-FROM-*.md must be what they say: every ```monitrc
// and ```pmtr block passes `warden -t`; a block marked "# Monit and warden alike", and the
// examples/ files the Monit guide calls "valid for both", pass `monit -t` too (when Monit is
// installed: CI installs it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GUIDES = ['docs/MIGRATING-FROM-MONIT.md', 'docs/MIGRATING-FROM-PMTR.md'];

/** The fenced blocks of `lang` in a Markdown file: { text, line } (line of the opening fence). */
function blocks(file, lang) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```' + lang) continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    assert.ok(end > i, `${file}:${i + 1}: unterminated code block`);
    out.push({ text: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 });
    i = end;
  }
  return out;
}

const monitInstalled = spawnSync('monit', ['-V']).status === 0;

/** `warden -t` (or `monit -t`) on `text` written to a 0600 file; { status, output }. */
function check(dir, name, text, argv) {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o600);
  const run = spawnSync(argv[0], [...argv.slice(1), '-t', '-c', file], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('structure: the migration guides\' examples', function () {
  this.timeout(60_000);
  let dir;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'warden-guides-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const warden = [process.execPath, join(root, 'core/bin/warden.js')];

  it('each guide has examples to check', () => {
    assert.ok(blocks(GUIDES[0], 'monitrc').length >= 2);
    assert.ok(blocks(GUIDES[1], 'pmtr').length >= 1 && blocks(GUIDES[1], 'monitrc').length >= 1);
  });

  for (const guide of GUIDES) {
    for (const lang of ['monitrc', 'pmtr']) {
      for (const { text, line } of blocks(guide, lang)) {
        it(`${guide}:${line} (${lang}) passes warden -t`, () => {
          const args = lang === 'pmtr' ? [...warden, '--format', 'pmtr'] : warden;
          const { status, output } = check(dir, `${lang}-${line}`, text, args);
          assert.equal(status, 0, `${guide}:${line}: ${output}`);
          assert.match(output, /syntax OK/);
        });
        if (/^# Monit and warden alike/m.test(text)) {
          it(`${guide}:${line} passes monit -t too`, function () {
            if (!monitInstalled) this.skip();
            const { status, output } = check(dir, `monit-${line}`, text, ['monit']);
            assert.equal(status, 0, `${guide}:${line}: ${output}`);
          });
        }
      }
    }
  }

  for (const name of ['nginx.monitrc', 'postgres.monitrc', 'redis.monitrc', 'sshd.monitrc', 'disks.monitrc', 'remote-https.monitrc']) {
    it(`examples/${name}, "valid for both", passes monit -t`, function () {
      if (!monitInstalled) this.skip();
      const text = readFileSync(join(root, 'examples', name), 'utf8');
      assert.ok(readFileSync(join(root, GUIDES[0]), 'utf8').includes(name), `the guide no longer names ${name}`);
      const { status, output } = check(dir, `example-${name}`, text, ['monit']);
      assert.equal(status, 0, `examples/${name}: ${output}`);
    });
  }
});
