import assert from 'node:assert/strict';
import type { EventClass } from '@warden/sdk';
import {
  ALERT_FILTER_CLASSES,
  eventBit,
  eventStateCode,
  eventText,
  isEventClass,
  type EventState,
} from './event-texts.js';

describe('event texts', () => {
  const rows: Array<[EventClass, EventState, string]> = [
    ['nonexist', 'failed', 'Does not exist'],
    ['nonexist', 'succeeded', 'Exists'],
    ['exist', 'failed', 'Does exist'],
    ['exist', 'succeeded', 'Exists not'],
    ['status', 'failed', 'Status failed'],
    ['checksum', 'changed', 'Checksum changed'],
    ['checksum', 'changednot', 'Checksum not changed'],
    ['timeout', 'failed', 'Timeout'],
    ['timeout', 'succeeded', 'Timeout recovery'],
    ['resource', 'failed', 'Resource limit matched'],
    ['size', 'changed', 'Size changed'],
    ['size', 'changednot', 'Size not changed'],
    ['bytein', 'changed', 'Download bytes changed'],
    ['bytein', 'changednot', 'Download bytes not changed'],
    ['content', 'changed', 'Content match'],
    ['content', 'changednot', "Content doesn't match"],
    ['data', 'failed', 'Data access error'],
    ['connection', 'failed', 'Connection failed'],
    ['action', 'succeeded', 'Action done'],
    ['invalid', 'succeeded', 'Type succeeded'],
    ['link', 'failed', 'Link down'],
    ['instance', 'changed', 'Monit instance changed'],
  ];
  for (const [cls, state, text] of rows) {
    it(`${cls} ${state} = '${text}'`, () => {
      assert.equal(eventText(cls, state), text);
    });
  }

  it('gives the legacy bits of the reference', () => {
    assert.equal(eventBit('checksum'), 0x1);
    assert.equal(eventBit('nonexist'), 0x200);
    assert.equal(eventBit('instance'), 65536);
    assert.equal(eventBit('exist'), 0x40000000);
  });

  it('has one distinct bit per class', () => {
    const bits = ALERT_FILTER_CLASSES.map(eventBit);
    assert.equal(new Set(bits).size, bits.length);
  });

  it('lists the 30 alert-filter keywords', () => {
    assert.equal(ALERT_FILTER_CLASSES.length, 30);
    assert.ok(ALERT_FILTER_CLASSES.every(isEventClass));
    assert.equal(isEventClass('unmonitor'), false);
    assert.equal(isEventClass('heartbeat'), false);
    assert.equal(isEventClass('toString'), false);
  });

  it('numbers the states as the XML does', () => {
    assert.deepEqual(
      (['succeeded', 'failed', 'changed', 'changednot'] as const).map(eventStateCode),
      [0, 1, 2, 3],
    );
  });
});
