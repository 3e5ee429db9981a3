import { defineEventStore } from '@warden/sdk';
import type { EventQueueSetting } from './eventqueue-setting.js';
import { FileStore } from './file-store.js';

/** The durable event queue of `set eventqueue` (reference A11, R17). */
export const eventQueueStore = defineEventStore({
  name: 'event-queue',
  summary: 'undelivered alerts as one JSON file each under `basedir`',
  setting: 'eventqueue',
  open({ settings, log }) {
    const setting = settings['eventqueue'] as EventQueueSetting | undefined;
    return setting ? new FileStore(setting, log) : undefined;
  },
});
