import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { parseTest } from '@warden/sdk/testing';
import { makeStatFixture, probePath as probe } from './test-probe.js';
import { sizeTest } from './size.js';

describe('file.size', () => {
  let dir: string;
  let file: string;

  before(() => ({ dir, file } = makeStatFixture()));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses sizes with units into a byte comparison', () => {
    const parsed = parseTest(sizeTest, 'size > 100 MB');
    assert.deepEqual(parsed.condition, { kind: 'compare', comparison: { op: '>', value: 100 * 1024 ** 2, unit: 'bytes', text: '100 MB' } });
    assert.equal(parsed.describe, 'size > 100 MB');
    assert.equal(parseTest(sizeTest, 'size >= 10').condition.kind, 'compare');
    assert.deepEqual(parseTest(sizeTest, 'size', { polarity: 'changed' }).condition, { kind: 'changed' });
  });

  it('is only for files (Monit F21: `syntax error \'size\'` in a directory)', () => {
    assert.deepEqual(sizeTest.serviceTypes, ['file']);
  });

  it('reports the size with Monit\'s message for the verdict the engine will reach', async () => {
    const small = await probe(sizeTest, 'size > 1 MB', file);
    assert.equal(small.result.value, 10);
    assert.equal(small.result.message, 'size check succeeded [current size = 10 B]');
    const big = await probe(sizeTest, 'size > 5', file);
    assert.equal(big.result.message, `size test failed for ${file} -- current size is 10 B`);
  });

  it('`changed size` says what changed', async () => {
    const state = {};
    assert.equal((await probe(sizeTest, 'size', file, { polarity: 'changed', state })).result.message, 'size has not changed [current size = 10 B]');
    writeFileSync(file, '0123456789abc');
    const after = await probe(sizeTest, 'size', file, { polarity: 'changed', state });
    assert.equal(after.result.value, 13);
    assert.equal(after.result.message, `size for ${file} changed to 13 B`);
    writeFileSync(file, '0123456789');
  });
});
