import { definePlugin } from '@warden/sdk';
import { alertmanagerNotifier } from './alertmanager-notifier.js';
import { alertmanagerSetting } from './alertmanager-setting.js';

export default definePlugin([alertmanagerSetting, alertmanagerNotifier]);
