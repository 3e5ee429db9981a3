import { definePlugin } from '@warden/sdk';
import { childrenTest } from './children.js';
import { existTest } from './exist.js';
import { pidTest } from './pid.js';
import { processService } from './process-type.js';
import { threadsTest } from './threads.js';
import { uptimeTest } from './uptime.js';
import { usageTest } from './usage.js';

export default definePlugin([processService, existTest, pidTest, uptimeTest, usageTest, childrenTest, threadsTest]);
