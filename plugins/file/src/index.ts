import { definePlugin } from '@warden/sdk';
import { contentTest } from './content.js';
import { existTest } from './exist.js';
import { gidTest, uidTest } from './owner.js';
import { permissionTest } from './permission.js';
import { directoryService, fifoService, fileService } from './service-types.js';
import { sizeTest } from './size.js';
import { timestampTest } from './timestamp.js';
import { typeTest } from './type.js';

export default definePlugin([
  fileService, fifoService, directoryService,
  existTest, typeTest, sizeTest, timestampTest, permissionTest, uidTest, gidTest, contentTest,
]);
