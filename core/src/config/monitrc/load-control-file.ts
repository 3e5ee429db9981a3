import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Token } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { ControlModel, Diagnostic, LoadStatement } from '../model.js';
import { expandIncludes, type Glob, type ReadFile } from './include.js';
import { parseMonitrc, type ParseOptions } from './parser.js';

/** The file system and system lookups a control-file load uses; tests pass fakes. */
export interface ControlFileDeps extends Omit<ParseOptions, 'warnings'> {
  readonly readFile?: ReadFile;
  readonly glob?: Glob;
}

/** A control file read and include-expanded, not yet parsed. */
export interface ControlFileTokens {
  /** Absolute path of the root control file. */
  readonly file: string;
  readonly tokens: Token[];
  readonly warnings: Diagnostic[];
  /** The `load` statements, to load plugins before {@link parseControlTokens}. */
  readonly loads: LoadStatement[];
}

const require = createRequire(import.meta.url);

/**
 * Regular files matching `pattern` (dot files only when named), as Monit's `glob()`.
 * fast-glob is loaded on the first `include`: it costs ~100 ms of start-up otherwise.
 */
export const fastGlob: Glob = (pattern, cwd) => {
  const fg = require('fast-glob') as typeof import('fast-glob');
  return fg.sync(pattern, { cwd, absolute: true, onlyFiles: true, dot: false });
};

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/** Read `path` and splice in its includes; throws `ParseError` for unbalanced quotes. */
export function readControlFile(path: string, deps: ControlFileDeps = {}): ControlFileTokens {
  const file = resolve(path);
  const { tokens, warnings } = expandIncludes(file, deps.readFile ?? readUtf8, deps.glob ?? fastGlob);
  return { file, tokens, warnings, loads: findLoadStatements(tokens) };
}

/** Parse tokens from {@link readControlFile}, once the plugins its `load` statements name are registered. */
export function parseControlTokens(read: ControlFileTokens, registry: GrammarRegistry, deps: ControlFileDeps = {}): ControlModel {
  return parseMonitrc(read.tokens, read.file, registry, { ...deps, warnings: read.warnings });
}

/**
 * Read, expand and parse a control file with the plugins `registry` already knows.
 * Throws the first `ParseError`, or a `ControlFileError` listing the semantic errors.
 * A caller honouring `load` statements uses {@link readControlFile}, loads
 * `loads`, then {@link parseControlTokens}.
 */
export function loadControlFile(path: string, registry: GrammarRegistry, deps: ControlFileDeps = {}): ControlModel {
  return parseControlTokens(readControlFile(path, deps), registry, deps);
}

/** Words after which `load` is a value (a service name, a test word), not a statement. */
const NOT_BEFORE_LOAD = new Set(['check', 'if', 'failed', 'succeeded', 'changed', 'not', 'depends', 'depend', 'group']);

/**
 * The top-level `load "<package or path>"` statements of an expanded token list, found
 * without parsing (plugins they name must be loaded before the rules using them parse).
 */
export function findLoadStatements(tokens: readonly Token[]): LoadStatement[] {
  // Most files have no `load`: look before copying the significant tokens.
  if (!tokens.some((t) => isWord(t, 'load'))) return [];
  const significant = tokens.filter((t) => !t.noise);
  const out: LoadStatement[] = [];
  for (let i = 0; i < significant.length; i++) {
    const tok = significant[i]!;
    if (!isWord(tok, 'load')) continue;
    const prev = significant[i - 1];
    const prev2 = significant[i - 2];
    if (prev && NOT_BEFORE_LOAD.has(prev.text.toLowerCase())) continue;
    if (prev2?.kind === 'word' && prev2.text.toLowerCase() === 'check') continue;
    const arg = significant[i + 1];
    if (arg?.kind !== 'string' && arg?.kind !== 'word') continue;
    out.push({ spec: arg.text, pos: { file: tok.file, line: tok.line } });
  }
  return out;
}

/** `tok` is the word `lower` in any case; the length test first spares lowercasing every word. */
function isWord(tok: Token, lower: string): boolean {
  return tok.kind === 'word' && tok.text.length === lower.length && tok.text.toLowerCase() === lower;
}
