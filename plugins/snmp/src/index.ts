import { definePlugin } from '@warden/sdk';
import { snmpTest } from './snmp.js';

export default definePlugin([snmpTest]);
