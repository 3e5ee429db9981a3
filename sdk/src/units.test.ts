import assert from 'node:assert/strict';
import { compare, describeComparison, formatBytes, formatDuration, isPercent, operatorFor, sizeUnit, timeUnit } from './units.js';
import type { Operator } from './tokens.js';

describe('units', () => {
  it('compare() follows its truth table', () => {
    const ops: Operator[] = ['>', '>=', '<', '<=', '=', '!='];
    // observed vs threshold 5: below, equal, above
    const table: Record<Operator, [boolean, boolean, boolean]> = {
      '>': [false, false, true],
      '>=': [false, true, true],
      '<': [true, false, false],
      '<=': [true, true, false],
      '=': [false, true, false],
      '!=': [true, false, true],
    };
    for (const op of ops) {
      assert.deepEqual([4, 5, 6].map((v) => compare(v, op, 5)), table[op], op);
    }
  });

  it('operatorFor() is case-insensitive and undefined for the regex operators', () => {
    assert.equal(operatorFor('GT'), '>');
    assert.equal(operatorFor('=~'), undefined);
    assert.equal(operatorFor('match'), undefined);
  });

  it('unit words', () => {
    assert.equal(sizeUnit('KB/S'), 1024);
    assert.equal(sizeUnit('s'), undefined);
    assert.equal(timeUnit('Minutes'), 60_000);
    assert.equal(timeUnit('mb'), undefined);
    assert.ok(isPercent('%') && isPercent('Percent') && !isPercent('pct'));
  });

  describe('formatBytes() like Monit', () => {
    const table: Array<[number, string]> = [
      [0, '0 B'], [10, '10 B'], [10.6, '11 B'], [1023, '1023 B'], [1024, '1.0 kB'], [1536, '1.5 kB'],
      [1.6 * 1024 ** 2, '1.6 MB'], [252 * 1024 ** 3, '252.0 GB'], [2 * 1024 ** 4, '2.0 TB'], [-2048, '-2.0 kB'],
    ];
    for (const [bytes, text] of table) it(`${bytes} → ${text}`, () => assert.equal(formatBytes(bytes), text));
  });

  it('formatDuration() and describeComparison()', () => {
    assert.deepEqual([250, 5000, 1500, 120_000, 7_200_000].map(formatDuration), ['250 ms', '5 s', '1.5 s', '2 m', '2 h']);
    assert.equal(describeComparison({ op: '>', value: 80, unit: 'percent', text: '80%' }), '> 80%');
  });
});
