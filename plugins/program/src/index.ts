import { definePlugin } from '@warden/sdk';
import { contentTest } from './content.js';
import { nagiosTest } from './nagios.js';
import { programService } from './program-type.js';
import { statusTest } from './status.js';

export default definePlugin([programService, statusTest, contentTest, nagiosTest]);
