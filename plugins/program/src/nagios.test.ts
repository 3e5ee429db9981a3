import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isParseError } from '@warden/sdk';
import { parseTest, runProbe } from '@warden/sdk/testing';
import { contentTest } from './content.js';
import { NAGIOS_STATE_METRIC, nagiosTest, PERFDATA_METRIC } from './nagios.js';
import { twoCycles, writeScript } from './test-programs.js';


describe('program.content and program.nagios against real programs', () => {
  let dir: string;
  const script = (name: string, body: string): string => writeScript(dir, name, body);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-nagios-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('content', () => {
    it('parses = and != with a quoted regex; refuses `content changed` (P03) and a bad regex', () => {
      assert.deepEqual(parseTest(contentTest, 'content != "critical_warning[ ]+: 0"').options, { negate: true, pattern: 'critical_warning[ ]+: 0' });
      assert.equal(parseTest(contentTest, 'content = "x"').describe, 'content = "x"');
      assert.throws(() => parseTest(contentTest, 'content changed'), /syntax error 'changed'/);
      assert.throws(() => parseTest(contentTest, 'content > "x"'), /syntax error '>', expected '=' or '!='/);
      assert.throws(() => parseTest(contentTest, 'content = "(("'), (err: unknown) => isParseError(err) && /^regex parsing error/.test(err.message));
    });

    it('matches stderr then stdout: = fails on a match, != fails without one', async () => {
      const target = await twoCycles(`path ${script('out.sh', 'echo "all good"; echo "disk warning on sda" >&2')}`);
      const run = async (text: string) => (await runProbe(contentTest, { options: parseTest(contentTest, text).options, target })).result;
      const hit = await run('content = "warning on sd[a-z]"');
      assert.equal(hit.status, 'failed');
      assert.equal(hit.code, 'program.content');
      assert.equal(hit.message, 'content match: disk warning on sda');
      assert.equal((await run('content = "^nothing"')).status, 'ok');
      const miss = await run('content != "critical_warning[ ]+: 0"');
      assert.equal(miss.status, 'failed');
      assert.equal(miss.message, "content doesn't match: disk warning on sda");
      assert.equal((await run('content != "all good"')).message, 'content match: all good');
    });
  });

  describe('nagios', () => {
    const plugin = (name: string, code: number, out: string) => script(name, `cat <<'EOF'\n${out}\nEOF\nexit ${code}`);

    it('parses the level and polarity', () => {
      assert.deepEqual(parseTest(nagiosTest, 'nagios', { polarity: 'failed' }).options, { level: 'warning' });
      assert.equal(parseTest(nagiosTest, 'nagios critical', { polarity: 'failed' }).describe, 'failed nagios critical');
      assert.deepEqual(parseTest(nagiosTest, 'nagios', { polarity: 'succeeded' }).condition, { kind: 'state', invert: true });
    });

    it('maps exit codes to states, fails at the level, and turns perfdata into observations and metrics', async () => {
      const target = await twoCycles(`path ${plugin('check_disk', 2, "DISK CRITICAL - free space: / 3 MB (1%) | /=2643MB;5948;5958;0;5968 'inode use'=12%;80;90\nlong text line\n| time=0.25s")}`);
      const run = async (level: string) => runProbe(nagiosTest, { options: parseTest(nagiosTest, `nagios ${level}`, { polarity: 'failed' }).options, target });
      const { result, metrics } = await run('');
      assert.equal(result.status, 'failed');
      assert.equal(result.code, 'program.nagios');
      assert.equal(result.message, 'nagios CRITICAL (2) -- DISK CRITICAL - free space: / 3 MB (1%)');
      assert.equal(result.observations?.nagiosState, 'critical');
      assert.equal(result.observations?.['perfdata./'], 2643);
      assert.equal(result.observations?.['perfdata./.uom'], 'MB');
      assert.equal(result.observations?.['perfdata.inode use'], 12);
      assert.equal(result.observations?.['perfdata.time'], 0.25);
      assert.equal(metrics.values.get(NAGIOS_STATE_METRIC), 2);
      assert.ok(metrics.values.has(PERFDATA_METRIC));
      assert.equal((await run('critical')).result.status, 'failed');
      assert.equal((await run('unknown')).result.status, 'ok');
    });

    it('reads WARNING as ok for `nagios critical`, and an out-of-range exit code as UNKNOWN', async () => {
      const warn = await twoCycles(`path ${plugin('check_warn', 1, 'LOAD WARNING - load 5.2')}`);
      const crit = parseTest(nagiosTest, 'nagios critical', { polarity: 'failed' }).options;
      const { result } = await runProbe(nagiosTest, { options: crit, target: warn });
      assert.equal(result.status, 'ok');
      assert.equal(result.message, 'nagios WARNING (1) -- LOAD WARNING - load 5.2');
      const odd = await twoCycles(`path ${plugin('check_odd', 7, 'weird')}`);
      assert.equal((await runProbe(nagiosTest, { options: crit, target: odd })).result.observations?.nagiosState, 'unknown');
    });
  });
});
