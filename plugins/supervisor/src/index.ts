import { definePlugin } from '@warden/sdk';
import { jobExistTest } from './exist.js';
import { jobService } from './job-type.js';
import { listenSetting, reportSetting } from './settings.js';

export default definePlugin([jobService, jobExistTest, reportSetting, listenSetting]);
