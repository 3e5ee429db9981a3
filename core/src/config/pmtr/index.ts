export { lexPmtr, LINE_KEYWORDS, ALWAYS_KEYWORDS, MAX_CONFIG_BYTES, type PmtrToken } from './lexer.js';
export { parsePmtr, type PmtrFile, type ParsedJob, type ParsedUdp } from './parser.js';
export { pmtrModel, PMTR_POLL_SECONDS, PMTR_SETTINGS, type PmtrModelOptions } from './build-model.js';
export type { PmtrJob } from './values.js';
