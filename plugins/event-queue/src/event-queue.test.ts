import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isParseError, type AlertMessage } from '@warden/sdk';
import { CapturedLogger, tokens } from '@warden/sdk/testing';
import { eventQueueStore } from './event-store.js';
import { DEFAULT_BASEDIR, eventqueueSetting } from './eventqueue-setting.js';
import { FileStore } from './file-store.js';

const msg = (id: string, service = 's'): AlertMessage => ({
  id, notifier: 'mail', host: 'h', firstDate: 1,
  event: { type: 'nonexist', state: 'failed', text: 'Does not exist', description: 'd', service, date: 1, action: 'alert' },
});

describe('event-queue', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'warden-eq-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads set eventqueue [basedir PATH] [slots N]', () => {
    assert.deepEqual(eventqueueSetting.parse(tokens('basedir /var/lib/monit/events slots 100')), { basedir: '/var/lib/monit/events', slots: 100 });
    assert.deepEqual(eventqueueSetting.parse(tokens('')), { basedir: DEFAULT_BASEDIR });
    assert.throws(() => eventqueueSetting.parse(tokens('slots 0')), (e: unknown) => isParseError(e));
    assert.throws(() => eventqueueSetting.parse(tokens('basedir relative/path')), (e: unknown) => isParseError(e));
  });

  it('opens only when the setting is there', () => {
    const log = new CapturedLogger();
    assert.equal(eventQueueStore.open({ settings: {}, log }), undefined);
    assert.ok(eventQueueStore.open({ settings: { eventqueue: { basedir: join(dir, 'q') } }, log }));
  });

  it('keeps one file per event, lists them oldest first, removes them, and survives a new instance', async () => {
    const store = new FileStore({ basedir: join(dir, 'q') }, new CapturedLogger());
    assert.equal(await store.add(msg('2000_000002', 'b')), join(dir, 'q', '2000_000002.json'));
    await store.add(msg('1000_000001', 'a'));
    await store.add(msg('3000_000003', 'c'));
    assert.deepEqual(readdirSync(join(dir, 'q')).sort(), ['1000_000001.json', '2000_000002.json', '3000_000003.json'], 'no temporary file left');
    await store.remove('2000_000002');
    const again = new FileStore({ basedir: join(dir, 'q') }, new CapturedLogger());
    assert.deepEqual((await again.list()).map((m) => m.event.service), ['a', 'c']);
  });

  it('marks an event whose delivery was under way as maybe sent', async () => {
    const store = new FileStore({ basedir: dir }, new CapturedLogger());
    await store.add(msg('1_000001'));
    await store.markSending('1_000001');
    assert.equal((await new FileStore({ basedir: dir }, new CapturedLogger()).list())[0]?.maybeSent, true);
    await store.remove('1_000001');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses new events when the slots are full, keeping the oldest', async () => {
    const store = new FileStore({ basedir: dir, slots: 2 }, new CapturedLogger());
    await store.add(msg('1_000001', 'a'));
    await store.add(msg('2_000002', 'b'));
    await assert.rejects(store.add(msg('3_000003', 'c')), /is full \(2 slots\): Does not exist c is not queued/);
    await store.remove('1_000001');
    await store.add(msg('4_000004', 'd'));
    assert.deepEqual((await store.list()).map((m) => m.event.service), ['b', 'd']);
  });

  it('moves an unreadable file aside with a log line', async () => {
    writeFileSync(join(dir, '5_000005.json'), '{broken');
    const log = new CapturedLogger();
    assert.deepEqual(await new FileStore({ basedir: dir }, log).list(), []);
    assert.match(log.messages('error')[0] ?? '', /5_000005\.json is unreadable, moved aside/);
  });

  it('says clearly when it cannot write', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    const log = new CapturedLogger();
    const store = new FileStore({ basedir: join(dir, 'file', 'q') }, log);
    assert.match(log.messages('error')[0] ?? '', /cannot create the folder/);
    await assert.rejects(store.add(msg('1_000001')), /cannot write .*ENOTDIR/);
  });
});
