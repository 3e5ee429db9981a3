import { definePlugin } from '@warden/sdk';
import { cpuTest } from './cpu.js';
import { filedescriptorsTest } from './filedescriptors.js';
import { loadavgTest } from './loadavg.js';
import { memoryTest, swapTest } from './memory.js';
import { systemService } from './system-type.js';
import { uptimeTest } from './uptime.js';

export default definePlugin([systemService, loadavgTest, cpuTest, memoryTest, swapTest, uptimeTest, filedescriptorsTest]);
