import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeStatFixture, probePath as probe } from './test-probe.js';
import { permissionTest } from './permission.js';
import { sizeTest } from './size.js';
import { typeTest } from './type.js';

describe('file.type (Invalid type)', () => {
  let dir: string;
  let file: string;

  before(() => ({ dir, file } = makeStatFixture()));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a regular file, a directory and a fifo for their own service types, in Monit\'s words', async () => {
    assert.equal((await probe(typeTest, 'type', file, { polarity: 'failed' })).result.message, 'is a regular file');
    assert.equal((await probe(typeTest, 'type', join(dir, 'sub'), { polarity: 'failed', type: 'directory' })).result.message, 'is directory');
    assert.equal((await probe(typeTest, 'type', join(dir, 'q'), { polarity: 'failed', type: 'fifo' })).result.message, 'is fifo');
  });

  it('fails file.invalid-type for a directory where a file is expected, and the other way round', async () => {
    const asFile = (await probe(typeTest, 'type', join(dir, 'sub'), { polarity: 'failed' })).result;
    assert.equal(asFile.status, 'failed');
    assert.equal(asFile.code, 'file.invalid-type');
    assert.equal(asFile.message, 'is neither a regular file nor a socket');
    assert.equal((await probe(typeTest, 'type', file, { polarity: 'failed', type: 'directory' })).result.message, 'is not directory');
    assert.equal((await probe(typeTest, 'type', file, { polarity: 'failed', type: 'fifo' })).result.message, 'is not fifo');
  });

  it('leaves a missing path to the existence test, and the other tests skip a wrong kind', async () => {
    assert.equal((await probe(typeTest, 'type', join(dir, 'gone'), { polarity: 'failed' })).result.status, 'skipped');
    assert.equal((await probe(sizeTest, 'size > 1', join(dir, 'sub'))).result.status, 'skipped');
    assert.equal((await probe(permissionTest, 'permission 0644', join(dir, 'gone'), { polarity: 'failed' })).result.status, 'skipped');
  });
});
