import { definePlugin } from '@warden/sdk';
import { capacityTest } from './capacity.js';
import { linkTest } from './link.js';
import { networkService } from './network-type.js';
import { saturationTest } from './saturation.js';
import { totalTest } from './total.js';
import { transferTest } from './transfer.js';

export default definePlugin([networkService, linkTest, capacityTest, saturationTest, transferTest, totalTest]);
