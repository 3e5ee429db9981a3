import { definePlugin } from '@warden/sdk';
import { webhookNotifier } from './webhook-notifier.js';
import { webhookSetting } from './webhook-setting.js';

export default definePlugin([webhookSetting, webhookNotifier]);
