import { definePlugin } from '@warden/sdk';
import { existTest } from './exist.js';
import { directoryService, fifoService, fileService } from './service-types.js';

export default definePlugin([fileService, fifoService, directoryService, existTest]);
