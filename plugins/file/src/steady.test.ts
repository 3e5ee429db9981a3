import assert from 'node:assert/strict';
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Polarity, TestDefinition } from '@warden/sdk';
import { FakeClock, observeOnce, parseTest, runProbe } from '@warden/sdk/testing';
import { contentTest } from './content.js';
import { existTest } from './exist.js';
import { gidTest, uidTest } from './owner.js';
import type { PathTarget } from './path-target.js';
import { permissionTest } from './permission.js';
import { fileService } from './service-types.js';
import { sizeTest } from './size.js';
import { makeStatFixture } from './test-probe.js';
import { timestampTest } from './timestamp.js';
import { typeTest } from './type.js';

/**
 * Core skips a `steady` test while the service's `sameTarget` says the stat did not move
 * (sdk: `TestDefinition.steady`). Here: which tests say so, and that they keep the promise.
 */
describe('steady tests and sameTarget', () => {
  let dir: string;
  let file: string;

  beforeEach(() => ({ dir, file } = makeStatFixture()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const observe = async (path = file) => (await observeOnce(fileService, { path })).target!;

  it('sameTarget: the same stat is the same target; a touch, a write, a removal is not', async () => {
    const same = fileService.sameTarget!;
    assert.ok(same(await observe(), await observe()));
    const before = await observe();
    utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1));
    assert.ok(!same(before, await observe()), 'touched');
    const touched = await observe();
    writeFileSync(file, 'another content');
    assert.ok(!same(touched, await observe()), 'written');
    const missing = join(dir, 'none');
    assert.ok(same(await observe(missing), await observe(missing)), 'missing twice');
    assert.ok(!same(await observe(missing), touched), 'missing, then there');
    assert.ok(!same(await observe(), { ...touched, error: 'EACCES' }), 'an error is part of the target');
  });

  // Every test of this plugin with the words of one rule: steady or not.
  const rules: Array<[TestDefinition<unknown, PathTarget>, string, Polarity, boolean]> = [
    [existTest as TestDefinition<unknown, PathTarget>, 'does not exist', 'none', true],
    [typeTest as TestDefinition<unknown, PathTarget>, 'type', 'failed', true],
    [sizeTest as TestDefinition<unknown, PathTarget>, 'size > 1 MB', 'none', true],
    [sizeTest as TestDefinition<unknown, PathTarget>, 'size', 'changed', true],
    [timestampTest as TestDefinition<unknown, PathTarget>, 'timestamp', 'changed', true],
    [timestampTest as TestDefinition<unknown, PathTarget>, 'mtime', 'changed', true],
    [timestampTest as TestDefinition<unknown, PathTarget>, 'timestamp > 1 hour', 'none', false],
    [permissionTest as TestDefinition<unknown, PathTarget>, 'permission 0644', 'failed', true],
    [permissionTest as TestDefinition<unknown, PathTarget>, 'permission', 'changed', true],
    [uidTest as TestDefinition<unknown, PathTarget>, 'uid 0', 'failed', true],
    [gidTest as TestDefinition<unknown, PathTarget>, 'gid 0', 'failed', true],
    [contentTest as TestDefinition<unknown, PathTarget>, 'content = "x"', 'none', false],
  ];

  for (const [def, text, polarity, steady] of rules) {
    const name = `${polarity === 'none' ? '' : `${polarity} `}${text}`;
    it(`${name}: ${steady ? 'steady, and a third run on the same stat repeats the second' : 'not steady'}`, async () => {
      const parsed = parseTest(def, text, { polarity, serviceType: 'file' });
      assert.equal(def.steady?.(parsed.options) === true, steady);
      if (!steady) return;
      // Around a change (the first run sees the old stat), then twice on the new one.
      const state: Record<string, unknown> = {};
      const clock = new FakeClock(Date.now());
      const run = async (target: PathTarget) => (await runProbe(def, { options: parsed.options, target, state, clock })).result;
      await run(await observe());
      utimesSync(file, new Date(2021, 0, 1), new Date(2021, 0, 1));
      writeFileSync(file, 'grown a little');
      const target = await observe();
      await run(target);
      const second = await run(target);
      const kept = structuredClone(state);
      clock.advance(3_600_000);
      assert.deepEqual(await run(await observe()), second);
      assert.deepEqual(state, kept);
    });
  }
});
