import { definePlugin } from '@warden/sdk';
import { eventQueueStore } from './event-store.js';
import { eventqueueSetting } from './eventqueue-setting.js';

export default definePlugin([eventqueueSetting, eventQueueStore]);
