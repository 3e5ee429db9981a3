export { expandIncludes, MAX_INCLUDE_DEPTH, type ExpandedTokens, type Glob, type ReadFile } from './include.js';
export { parseMonitrc, type ParseOptions } from './parser.js';
export { ControlFileError } from './control-file-error.js';
export {
  loadControlFile,
  readControlFile,
  parseControlTokens,
  findLoadStatements,
  fastGlob,
  type ControlFileDeps,
  type ControlFileTokens,
} from './load-control-file.js';
export { toJson, diagnosticText, type ModelJson, type ServiceJson, type RuleJson, type EveryJson } from './model-json.js';
export { systemUserLookup, staticUserLookup, type UserLookup } from './user-lookup.js';
export { alertEventClass } from './alert-events.js';
