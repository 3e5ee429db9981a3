import assert from 'node:assert/strict';
import { isParseError } from '@warden/sdk';
import { parseTarget, parseTest } from '@warden/sdk/testing';
import { capacityTest } from './capacity.js';
import { linkTest } from './link.js';
import { networkService } from './network-type.js';
import { saturationTest } from './saturation.js';
import { totalTest } from './total.js';
import { transferTest } from './transfer.js';

function parseError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isParseError(err), String(err));
    return err.toString();
  }
  return assert.fail('parsed');
}

describe('network: grammar', () => {
  it('check network NAME with interface IF | address IP; implicit `if link down then alert`', () => {
    assert.deepEqual(parseTarget(networkService, 'with interface eth0'), { interface: 'eth0' });
    assert.deepEqual(parseTarget(networkService, 'with address 10.0.0.1'), { address: '10.0.0.1' });
    assert.match(parseError(() => parseTarget(networkService, 'with path /x')), /syntax error 'path', expected 'interface' or 'address'/);
    assert.deepEqual(networkService.implicitRules!({ interface: 'lo' }), ['if link down then alert']);
  });

  it('link down | up | failed link | changed link [capacity]', () => {
    const down = parseTest(linkTest, 'link down');
    assert.deepEqual(down.condition, { kind: 'state', invert: false });
    assert.equal(down.describe, 'link down');
    assert.deepEqual(parseTest(linkTest, 'link up').condition, { kind: 'state', invert: true });
    const failed = parseTest(linkTest, 'link', { polarity: 'failed' });
    assert.deepEqual([failed.condition, failed.options], [{ kind: 'state' }, { check: 'down' }]);
    const changed = parseTest(capacityTest, 'link capacity', { polarity: 'changed' });
    assert.deepEqual([changed.condition.kind, changed.describe, capacityTest.event], ['changed', 'changed link capacity', 'speed']);
    assert.match(parseError(() => parseTest(linkTest, 'link sideways')), /syntax error 'sideways', expected 'down' or 'up'/);
  });

  it('saturation OP N%', () => {
    const p = parseTest(saturationTest, 'saturation > 90%');
    assert.equal(p.describe, 'saturation > 90%');
    assert.equal(p.condition.kind === 'compare' && p.condition.comparison.value, 90);
  });

  it('upload|download OP N unit/s and OP N packets/s, with Monit event classes', () => {
    const down = parseTest(transferTest, 'download > 10 MB/s');
    assert.equal(down.condition.kind === 'compare' && down.condition.comparison.value, 10 * 1024 ** 2);
    assert.equal(down.event, 'bytein');
    assert.equal(down.describe, 'download > 10 MB/s');
    const up = parseTest(transferTest, 'upload >= 500 packets/s');
    assert.deepEqual([up.options.packets, up.event, up.describe], [true, 'packetout', 'upload >= 500 packets/s']);
    assert.equal(parseTest(transferTest, 'upload > 1kB/s').event, 'byteout');
  });

  it('total uploaded|downloaded OP N unit|packets in last [N] minutes|hours|day', () => {
    const p = parseTest(totalTest, 'total downloaded > 1 GB in last 2 hours');
    assert.deepEqual([p.options.windowMs, p.options.direction, p.describe], [7_200_000, 'download', 'total downloaded > 1 GB in last 2 hours']);
    assert.equal(parseTest(totalTest, 'total uploaded > 1000 packets in last day').options.windowMs, 86_400_000);
    assert.equal(parseTest(totalTest, 'total uploaded > 1 MB in last hour').options.windowMs, 3_600_000);
  });

  it('N07: `in last 25 hours` is `Maximum range for total test is 24 hours`', () => {
    const text = parseError(() => parseTest(totalTest, 'total uploaded > 1 GB in last 25 hours'));
    assert.equal(text, "test.monitrc:1: Maximum range for total test is 24 hours '25'");
    assert.match(parseError(() => parseTest(totalTest, 'total uploaded > 1 GB in last 2 days')), /Maximum range for total test is 24 hours '2'/);
  });
});
