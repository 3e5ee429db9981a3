import { definePlugin } from '@warden/sdk';
import { childrenTest } from './children.js';
import { existTest } from './exist.js';
import { filedescriptorsTest } from './filedescriptors.js';
import { ioTest } from './io.js';
import { ownerTest } from './owner.js';
import { pidTest } from './pid.js';
import { processService } from './process-type.js';
import { securityTest } from './security.js';
import { threadsTest } from './threads.js';
import { uptimeTest } from './uptime.js';
import { usageTest } from './usage.js';

export default definePlugin([
  processService, existTest, pidTest, uptimeTest, usageTest, childrenTest, threadsTest,
  ioTest, ownerTest, securityTest, filedescriptorsTest,
]);
