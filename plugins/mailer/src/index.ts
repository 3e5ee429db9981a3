import { definePlugin } from '@warden/sdk';
import { mailFormatSetting } from './mail-format.js';
import { mailNotifier } from './mail-notifier.js';
import { mailserverSetting } from './mailserver.js';

export default definePlugin([mailserverSetting, mailFormatSetting, mailNotifier]);
