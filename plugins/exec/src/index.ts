import { definePlugin } from '@warden/sdk';
import { execAction } from './exec.js';

export default definePlugin([execAction]);
