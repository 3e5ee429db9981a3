import { definePlugin } from '@warden/sdk';
import { pingTest } from './ping-test.js';

export default definePlugin([pingTest]);
