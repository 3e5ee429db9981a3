import { definePlugin } from '@warden/sdk';
import { httpProtocolDefinition, httpsProtocolDefinition } from './protocol.js';
import { urlTest } from './url-test.js';

export default definePlugin([urlTest, httpProtocolDefinition, httpsProtocolDefinition]);
