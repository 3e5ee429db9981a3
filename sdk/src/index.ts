export * from './tokens.js';
export * from './units.js';
export * from './result.js';
export * from './context.js';
export * from './define.js';
export { ArrayTokenStream, matches } from './token-stream.js';
export { tokenize, NOISE_WORDS } from './lexer.js';
export { splitCommand } from './command.js';
export { parseMailFormat } from './mail-format.js';
