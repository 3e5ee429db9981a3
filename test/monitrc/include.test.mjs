// `include GLOB` (reference A35) on real files, next to the real `monit -t -v`: reverse
// lexical order within one glob, directories and `*~` skipped, quoted globs with spaces,
// includes inside a check block, relative globs, `Include failed` and `Include loop detected`
// warnings in Monit's words, and the nesting limit. Needs the Debian package `monit`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../core/dist/config/read-config.js';
import { diagnosticText } from '../../core/dist/config/monitrc/model-json.js';
import { monitServices } from './fixtures.mjs';

const host = (name) => `check host ${name} with address 127.0.0.1\n  if failed ping then alert\n`;

function write(path, text, mode = 0o644) {
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('monitrc: include (A35) agrees with monit', function () {
  this.timeout(20_000);
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-include-'));
    mkdirSync(join(dir, 'conf.d', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'with space'));
    for (const n of ['a', 'b', 'c']) write(join(dir, 'conf.d', `${n}.conf`), host(n));
    write(join(dir, 'conf.d', 'd.conf~'), host('backup'));
    write(join(dir, 'conf.d', 'sub', 'x.conf'), host('sub'));
    write(join(dir, 'with space', 's.conf'), host('spaced'));
    write(join(dir, 'rules.inc'), '  if failed port 80 then alert\n');
    write(join(dir, 'loop1'), `include ${dir}/loop2\n${host('l1')}`);
    write(join(dir, 'loop2'), `include ${dir}/loop1\n`);
    write(join(dir, 'rel.conf'), host('relative'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the same services in the same order and warns in the same words', async () => {
    const file = write(join(dir, 'main.rc'), [
      'set daemon 30',
      `set idfile ${dir}/monit.id`,
      `include ${dir}/conf.d/*`,
      `include "${dir}/with space/*.conf"`,
      `include ${dir}/nomatch/*.conf`,
      'check host r with address 127.0.0.1',
      `  include ${dir}/rules.inc`,
      `include ${dir}/loop1`,
      'include rel.conf',
      '',
    ].join('\n'), 0o600);
    const monit = spawnSync('monit', ['-t', '-v', '-c', file], { encoding: 'utf8', cwd: dir, timeout: 10_000 });
    assert.equal(monit.status, 0, monit.stderr || String(monit.error));
    const { model } = await readConfig(file);
    const mine = model.services.map((s) => ({ type: s.monitType, name: s.name }));
    assert.deepEqual(mine, monitServices(monit.stdout));
    assert.deepEqual(mine.map((s) => s.name).slice(0, 4), ['c', 'b', 'a', 'spaced']);
    assert.equal(model.services.find((s) => s.name === 'r').rules.filter((r) => !r.implicit).length, 1);
    const warnings = model.warnings.map(diagnosticText);
    for (const line of monit.stderr.split('\n').filter((l) => /Include (failed|loop)/.test(l))) {
      assert.ok(warnings.includes(line), `monit warns ${JSON.stringify(line)}; warden: ${JSON.stringify(warnings)}`);
    }
    assert.equal(warnings.length, 2, JSON.stringify(warnings));
  });

  it('stops past the nesting limit of 1024 with a positioned error', async () => {
    write(join(dir, 'self-0'), `include ${dir}/self-1\n`);
    for (let i = 1; i <= 1030; i++) write(join(dir, `self-${i}`), `include ${dir}/self-${i + 1}\n`);
    const file = write(join(dir, 'deep.rc'), `include ${dir}/self-0\n`, 0o600);
    await assert.rejects(readConfig(file), (e) => e.name === 'WardenParseError' && /Include nesting too deep/.test(e.message));
  });
});
