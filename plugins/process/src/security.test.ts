import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { parseTest, runProbe } from '@warden/sdk/testing';
import { readStat } from './proc.js';
import { attributeMatches, readSecurityAttribute, securityTest } from './security.js';
import type { ProcessTarget } from './target.js';

describe('process security attribute', function () {
  this.timeout(10_000);
  let child: ChildProcess;
  before(async () => {
    child = spawn('/bin/sleep', ['30'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 50));
  });
  after(() => {
    child.kill('SIGKILL');
  });

  it('parses the label as written', () => {
    const p = parseTest(securityTest, 'security attribute "system_u:system_r:ntpd_t:s0"', { polarity: 'failed' });
    assert.deepEqual(p.options, { attribute: 'system_u:system_r:ntpd_t:s0' });
    assert.equal(p.describe, 'failed security attribute "system_u:system_r:ntpd_t:s0"');
    assert.throws(() => parseTest(securityTest, 'security "x"'), /syntax error/);
  });

  it('matches SELinux contexts whole and AppArmor profiles with or without their mode', () => {
    assert.ok(attributeMatches('system_u:system_r:ntpd_t:s0', 'system_u:system_r:ntpd_t:s0'));
    assert.ok(!attributeMatches('system_u:system_r:ntpd_t:s0', 'ntpd_t'));
    assert.ok(attributeMatches('/usr/sbin/ntpd (enforce)', '/usr/sbin/ntpd'));
    assert.ok(attributeMatches('/usr/sbin/ntpd (enforce)', '/usr/sbin/ntpd (enforce)'));
    assert.ok(attributeMatches('unconfined', 'unconfined'));
    assert.ok(!attributeMatches('', 'unconfined'));
  });

  it('compares the real process\'s label (empty, shown `-`, without a security module)', async () => {
    const current = readSecurityAttribute(child.pid!);
    assert.equal(current, readSecurityAttribute(process.pid), 'a child of ours carries our label');
    assert.equal(readSecurityAttribute(4_194_000), '');
    const target: ProcessTarget = { pid: child.pid!, stat: readStat(child.pid!)! };
    const run = async (label: string) =>
      (await runProbe(securityTest, { options: { attribute: label }, target, service: { name: 'p', type: 'process' } })).result;
    const shown = current || '-';
    const mismatch = await run('system_u:system_r:warden_none_t:s0');
    assert.equal(mismatch.status, 'failed');
    assert.equal(mismatch.code, 'process.security');
    assert.equal(mismatch.message, `Security attribute test failed for p -- current attribute is ${shown}`);
    assert.equal(mismatch.observations?.['securityAttribute'], shown);
    if (current !== '') {
      const same = await run(current);
      assert.equal(same.status, 'ok');
      assert.equal(same.message, `security attribute test succeeded [current attribute = ${current}]`);
    }
    assert.equal((await runProbe(securityTest, { options: { attribute: 'x' }, target: {} })).result.status, 'skipped');
  });
});
