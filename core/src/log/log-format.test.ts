import assert from 'node:assert/strict';
import { formatJsonLine, formatLine, formatTimestamp, prefixService } from './log-format.js';

/** Run `fn` with the process time zone set to `tz` (Node re-reads TZ on assignment). */
function inZone<T>(tz: string, fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

describe('log-format', () => {
  const at = new Date(Date.UTC(2026, 10, 22, 8, 33, 34, 567));

  it('writes Monit’s line in UTC', () => {
    inZone('UTC', () => {
      assert.equal(
        formatLine(at, 'error', "'dummy' process is not running"),
        "[2026-11-22T08:33:34+0000] error    : 'dummy' process is not running",
      );
    });
  });

  it('pads every level to eight columns', () => {
    inZone('UTC', () => {
      assert.equal(formatLine(at, 'warning', 'x'), '[2026-11-22T08:33:34+0000] warning  : x');
      assert.equal(formatLine(at, 'info', 'x'), '[2026-11-22T08:33:34+0000] info     : x');
      assert.equal(formatLine(at, 'debug', 'x'), '[2026-11-22T08:33:34+0000] debug    : x');
    });
  });

  it('uses local time with a numeric offset without a colon', () => {
    assert.equal(inZone('Asia/Kolkata', () => formatTimestamp(at)), '2026-11-22T14:03:34+0530');
    assert.equal(inZone('America/New_York', () => formatTimestamp(at)), '2026-11-22T03:33:34-0500');
    assert.equal(inZone('America/St_Johns', () => formatTimestamp(at)), '2026-11-22T05:03:34-0330');
  });

  it('rolls the local date over midnight', () => {
    assert.equal(inZone('Pacific/Auckland', () => formatTimestamp(new Date(Date.UTC(2026, 11, 31, 12, 0, 0)))), '2027-01-01T01:00:00+1300');
  });

  it('prefixes service messages with the quoted name', () => {
    assert.equal(prefixService('nginx', 'trying to restart'), "'nginx' trying to restart");
    assert.equal(prefixService(undefined, 'Starting'), 'Starting');
  });

  it('writes one JSON object per line', () => {
    inZone('UTC', () => {
      assert.deepEqual(JSON.parse(formatJsonLine(at, 'info', 'a "quoted"\nline', 'web')), {
        time: '2026-11-22T08:33:34+0000',
        level: 'info',
        service: 'web',
        message: 'a "quoted"\nline',
      });
      assert.ok(!formatJsonLine(at, 'info', 'x\ny').includes('\n'));
      assert.deepEqual(Object.keys(JSON.parse(formatJsonLine(at, 'debug', 'x'))), ['time', 'level', 'message']);
    });
  });
});
