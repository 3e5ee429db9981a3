import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { applySavedState, readStateFile, stateOf, writeStateFile } from './state-file.js';

/** The part of an engine the state file touches. */
function engineOf(services: Array<[string, 'start' | 'nostart' | 'laststate']>): Engine {
  const map = new Map(services.map(([name, onreboot]) => [name, { model: { onreboot }, status: { monitor: 'initializing', status: 'OK' } }]));
  return { services: map } as unknown as Engine;
}

describe('the state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-state-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes atomically and reads back', () => {
    const path = join(dir, 'state');
    const e = engineOf([['a', 'start'], ['b', 'start']]);
    e.services.get('b')!.status.monitor = 'not monitored';
    assert.ok(writeStateFile(path, stateOf(e, '/etc/monitrc', 77)));
    assert.deepEqual(readStateFile(path), { boot: 77, controlFile: '/etc/monitrc', services: { a: { monitor: 'monitored' }, b: { monitor: 'not monitored' } } });
    assert.match(readFileSync(path, 'utf8'), /^\{.*\}\n$/);
    assert.equal(readStateFile(join(dir, 'none')), undefined);
    assert.equal(writeStateFile(join(dir, 'no', 'such', 'dir'), stateOf(e, '/etc/monitrc', 1)), false);
  });

  it('restores every state on the same boot, and follows onreboot after a reboot', () => {
    const saved = { boot: 10, controlFile: '/rc', services: { a: { monitor: 'not monitored' as const }, b: { monitor: 'not monitored' as const }, c: { monitor: 'monitored' as const } } };
    const names = (e: Engine) => [...e.services].filter(([, rt]) => rt.status.monitor === 'not monitored').map(([n]) => n);
    const same = engineOf([['a', 'start'], ['b', 'laststate'], ['c', 'nostart']]);
    applySavedState(same, saved, '/rc', 10);
    assert.deepEqual(names(same), ['a', 'b']);
    const rebooted = engineOf([['a', 'start'], ['b', 'laststate'], ['c', 'nostart']]);
    applySavedState(rebooted, saved, '/rc', 11);
    assert.deepEqual(names(rebooted), ['b', 'c']);
    const fresh = engineOf([['a', 'start'], ['c', 'nostart']]);
    applySavedState(fresh, undefined, '/rc', 11);
    assert.deepEqual(names(fresh), ['c']);
    const other = engineOf([['a', 'start']]);
    applySavedState(other, saved, '/another/rc', 10);
    assert.deepEqual(names(other), [], 'the state of another control file');
  });
});
