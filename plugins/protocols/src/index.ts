import { definePlugin } from '@warden/sdk';
import { hostService } from './host-type.js';
import { portTest } from './port-test.js';
import { unixsocketTest } from './unixsocket-test.js';
import { PROTOCOLS } from './protocols.js';

export default definePlugin([hostService, portTest, unixsocketTest, ...PROTOCOLS]);
