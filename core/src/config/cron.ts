import { createRequire } from 'node:module';
import type { CronExpressionParser } from 'cron-parser';

const requireCjs = createRequire(import.meta.url);

/**
 * cron-parser's parser, loaded on the first `every "cron"`: with luxon it is ~350 KB of
 * start-up that most control files never use. Loaded with require (cron-parser is CommonJS,
 * and require caches it), not `import()`, so the parser and the scheduler stay synchronous.
 */
export function cronParser(): typeof CronExpressionParser {
  return (requireCjs('cron-parser') as typeof import('cron-parser')).CronExpressionParser;
}
