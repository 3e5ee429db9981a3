import { definePlugin } from '@warden/sdk';
import { checksumTest } from './checksum.js';

export default definePlugin([checksumTest]);
