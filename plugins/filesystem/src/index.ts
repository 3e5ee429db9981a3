import { definePlugin } from '@warden/sdk';
import { filesystemExistTest } from './exist.js';
import { filesystemService } from './filesystem-type.js';
import { fsflagsTest } from './fsflags.js';
import { inodeTest } from './inode.js';
import { ioTest, serviceTimeTest } from './io.js';
import { gidTest, permissionTest, uidTest } from './ownership.js';
import { spaceTest } from './space.js';

export default definePlugin([
  filesystemService,
  filesystemExistTest,
  spaceTest,
  inodeTest,
  ioTest,
  serviceTimeTest,
  fsflagsTest,
  permissionTest,
  uidTest,
  gidTest,
]);
