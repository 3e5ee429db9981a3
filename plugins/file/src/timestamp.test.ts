import assert from 'node:assert/strict';
import { rmSync, utimesSync } from 'node:fs';
import { FakeClock, parseTest } from '@warden/sdk/testing';
import { makeStatFixture, probePath as probe } from './test-probe.js';
import { formatTime, timestampTest } from './timestamp.js';

describe('file.timestamp', () => {
  let dir: string;
  let file: string;

  before(() => ({ dir, file } = makeStatFixture()));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every spelling of C24, older/newer as operators, seconds by default', () => {
    const t = (text: string) => parseTest(timestampTest, text);
    assert.deepEqual(t('timestamp is older than 15 minutes').condition, { kind: 'compare', comparison: { op: '>', value: 900_000, unit: 'ms', text: '15 minutes' } });
    assert.equal(t('mtime newer than 30').describe, 'mtime < 30 s');
    assert.equal(t('access time > 1 hour').options.which, 'access');
    assert.equal(t('change time > 1 hour').options.which, 'change');
    assert.equal(t('modification time > 1 hour').options.which, 'modify');
    assert.equal(t('modify time > 1 hour').options.which, 'modify');
    assert.equal(t('ctime > 1 hour').options.which, 'change');
    assert.equal(t('time > 1 hour').options.which, 'timestamp');
    assert.equal(parseTest(timestampTest, 'atime', { polarity: 'changed' }).describe, 'changed atime');
  });

  it('compares the age of the newest of mtime and ctime with the clock', async () => {
    const old = Date.parse('2026-01-01T00:00:00Z') / 1000;
    utimesSync(file, old, old);
    const clock = new FakeClock(Date.now());
    const fresh = await probe(timestampTest, 'timestamp > 15 minutes', file, { clock });
    // ctime is now (utimes sets it), so the default timestamp is fresh.
    assert.ok((fresh.result.value as number) < 60_000);
    assert.match(fresh.result.message, /^modify\/change time test succeeded for .* \[current modify\/change time is \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d\]$/);
    const mtime = await probe(timestampTest, 'mtime > 15 minutes', file, { clock });
    assert.ok((mtime.result.value as number) > 15 * 60_000);
    assert.equal(mtime.result.message, `modify time for ${file} failed -- current modify time is ${formatTime(old * 1000)}`);
  });

  it('`changed mtime` reports the old and the new time', async () => {
    const state = {};
    await probe(timestampTest, 'mtime', file, { polarity: 'changed', state });
    const later = Date.parse('2026-02-01T00:00:00Z') / 1000;
    utimesSync(file, later, later);
    const changed = await probe(timestampTest, 'mtime', file, { polarity: 'changed', state });
    assert.match(changed.result.message, /^modify time for .* changed from .* to \w{3}, 01 Feb 2026 /);
    assert.equal(changed.result.value, later * 1000);
  });
});
