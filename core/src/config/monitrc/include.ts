import { dirname, isAbsolute, resolve } from 'node:path';
import { ParseError, tokenize, type Token } from '@warden/sdk';
import type { Diagnostic } from '../model.js';

/** Monit's limit on nested includes (reference A35). */
export const MAX_INCLUDE_DEPTH = 1024;

/** A control file's tokens with every `include GLOB` spliced in, and what went wrong on the way. */
export interface ExpandedTokens {
  /** All tokens in reading order, ending with exactly one `eof` token. */
  readonly tokens: Token[];
  /** `Include failed …`, `Include loop detected …`. */
  readonly warnings: Diagnostic[];
}

/** Reads a file's text; throws as `fs.readFileSync` does. */
export type ReadFile = (path: string) => string;

/** Absolute paths of the regular files matching `pattern`, resolved from `cwd`. */
export type Glob = (pattern: string, cwd: string) => string[];

/**
 * Tokenize `file` and splice in the tokens of every `include GLOB` (quoted or not), which
 * may appear anywhere, also inside a check block. Relative globs are resolved from the
 * including file's folder. Tokens keep their own file and line, so errors name the
 * included file. The file system is passed in: this function is pure.
 */
export function expandIncludes(file: string, readFile: ReadFile, glob: Glob): ExpandedTokens {
  const out: Token[] = [];
  const warnings: Diagnostic[] = [];
  const active: string[] = [];
  // The end of input is the end of the file whose text came last, so `syntax error ''` points there.
  let lastEof: Token | undefined;

  const expand = (path: string, tokens: Token[]): void => {
    active.push(path);
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i]!;
      if (tok.kind === 'eof') {
        if (out.length === 0 || out[out.length - 1]!.file === path) lastEof = tok;
        break;
      }
      if (!isIncludeWord(tok)) {
        out.push(tok);
        continue;
      }
      const arg = tokens[i + 1]!;
      if (arg.kind !== 'word' && arg.kind !== 'string') {
        throw new ParseError(arg, `syntax error '${arg.raw}', expected a file or glob after include`);
      }
      i++;
      includeGlob(tok, arg.text);
    }
    active.pop();
  };

  const includeGlob = (at: Token, pattern: string): void => {
    const cwd = dirname(at.file);
    // Monit 5.33 parses the files one glob matched in reverse lexical order (reference A35):
    // its lexer pushes each match on a buffer stack, so the last one pushed is read first.
    const found = glob(pattern, cwd);
    if (found.length === 0) {
      warnings.push({ file: at.file, line: at.line, message: `Include failed -- No such file or directory '${pattern}'` });
      return;
    }
    const matches = found
      .map((p) => (isAbsolute(p) ? p : resolve(cwd, p)))
      .filter((p) => !p.endsWith('~'))
      .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    for (const path of matches) {
      if (active.includes(path)) {
        warnings.push({ file: at.file, line: at.line, message: `Include loop detected when trying to include ${path} '${path}'` });
        continue;
      }
      if (active.length > MAX_INCLUDE_DEPTH) {
        throw new ParseError(at, `Include nesting too deep, at most ${MAX_INCLUDE_DEPTH} levels '${pattern}'`);
      }
      const text = readIncluded(readFile, path);
      if (text === undefined) continue;
      expand(path, tokenize(text, path));
    }
  };

  const tokens = tokenize(readFile(file), file);
  // Most files include nothing: their tokens are the answer, without a copy.
  if (!tokens.some(isIncludeWord)) return { tokens, warnings };
  expand(file, tokens);
  out.push(lastEof!);
  return { tokens: out, warnings };
}

/** `include` in any case; the length test first spares lowercasing every word of the file. */
function isIncludeWord(tok: Token): boolean {
  return tok.kind === 'word' && tok.text.length === 7 && tok.text.toLowerCase() === 'include';
}

/** A directory matched by a glob is skipped silently, as Monit does. */
function readIncluded(readFile: ReadFile, path: string): string | undefined {
  try {
    return readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw err;
  }
}
