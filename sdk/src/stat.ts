import { statSync } from 'node:fs';
import type { StatPath } from './context.js';

const NO_THROW = Object.freeze({ throwIfNoEntry: false });

/**
 * {@link StatPath} through Node's `fs.statSync`: what core falls back to without its native
 * addon, and what `@warden/sdk/testing` hands a probe.
 */
export const nodeStat: StatPath = (path) => statSync(path, NO_THROW);
