import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@warden/sdk';
import { claimChild, loadReaperAddon, loadSpawnAddon, startReaper } from './reaper.js';

/** The state letter of `pid` in /proc, or undefined once it is gone (reaped). */
function state(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** `/bin/true` started through the addon, with nothing waiting for it. */
function startTrue(): number {
  const addon = loadSpawnAddon();
  assert.ok(addon, 'the native addon (core/native/build.mjs) has spawn and waitStatus');
  const started = addon.spawn('/bin/true', ['/bin/true'], [], null, [0, 1, 2]);
  assert.ok(typeof started !== 'number', `spawn failed: ${String(started)}`);
  return started[0]!;
}

describe('orphan reaper and the native spawn', () => {
  const log = { debug() {}, info() {}, warning() {}, error() {} } as unknown as Logger;

  it("leaves a claimed child's exit status to its spawner, and reaps an unclaimed zombie", async () => {
    const addon = loadSpawnAddon()!;
    const reaper = startReaper(log, loadReaperAddon());
    assert.ok(reaper);
    try {
      // Claimed at once, as the spawner does: the reaper's sweep runs on a later turn.
      const claimed = startTrue();
      const release = claimChild(claimed);
      const orphan = startTrue();
      for (let waited = 0; waited < 5000 && (state(orphan) !== undefined || state(claimed) !== 'Z'); waited += 10) await sleep(10);
      reaper.sweep();
      assert.equal(state(orphan), undefined, 'the unclaimed zombie was reaped on its SIGCHLD');
      assert.equal(state(claimed), 'Z', 'the claimed child is left to its spawner');
      assert.deepEqual(addon.waitStatus(claimed), [0, 0]);
      release();
      assert.equal(reaper.reaped, 1);
    } finally {
      reaper.stop();
    }
  });
});
