import assert from 'node:assert/strict';
import { baseValue, MAX_PERFDATA, parsePerfdata, splitNagiosOutput } from './perfdata.js';

describe('Nagios plugin output', () => {
  it('splits the status line from performance data on the first and later lines', () => {
    const out = "DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968\n/ 15272 MB (77%);\n/boot 68 MB (69%);\n| /boot=68MB;88;93;0;98\n/home=69357MB;253404;253409;0;253414\n";
    const { text, perfdata } = splitNagiosOutput(out);
    assert.equal(text, 'DISK OK - free space: / 3326 MB (56%);');
    assert.deepEqual(parsePerfdata(perfdata).map((d) => [d.label, d.value, d.uom]), [['/', 2643, 'MB'], ['/boot', 68, 'MB'], ['/home', 69357, 'MB']]);
    assert.deepEqual(splitNagiosOutput('PING OK'), { text: 'PING OK', perfdata: '' });
  });

  it('reads quoted labels, thresholds, min and max, and skips U and garbage', () => {
    const data = parsePerfdata("'in use'=12.5%;80;90;0;100 'it''s'=3c time=0.002s;;;0 bad=U junk =7 x=abc");
    assert.deepEqual(data, [
      { label: 'in use', value: 12.5, uom: '%', warn: '80', crit: '90', min: 0, max: 100 },
      { label: "it's", value: 3, uom: 'c' },
      { label: 'time', value: 0.002, uom: 's', min: 0 },
    ]);
  });

  it('converts times and sizes to base units for metrics', () => {
    assert.equal(baseValue({ label: 'a', value: 250, uom: 'ms' }), 0.25);
    assert.equal(baseValue({ label: 'a', value: 2, uom: 'KB' }), 2048);
    assert.equal(baseValue({ label: 'a', value: 7, uom: '%' }), 7);
  });

  it('keeps a bounded number of data', () => {
    const many = Array.from({ length: 200 }, (_, i) => `l${i}=${i}`).join(' ');
    assert.equal(parsePerfdata(many).length, MAX_PERFDATA);
  });
});
