import { readFileSync } from 'node:fs';
import { corePackageJson } from './paths.js';

/** warden's version, from core's package.json. */
export const VERSION: string = (JSON.parse(readFileSync(corePackageJson, 'utf8')) as { version: string }).version;
