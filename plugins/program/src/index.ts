import { definePlugin } from '@warden/sdk';
import { programService } from './program-type.js';
import { statusTest } from './status.js';

export default definePlugin([programService, statusTest]);
