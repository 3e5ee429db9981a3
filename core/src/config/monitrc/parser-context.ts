import { isSemanticError, type ArrayTokenStream, type ServiceTypeDefinition, type Token } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { Diagnostic, Globals, ServiceModel } from '../model.js';
import type { ParsedRule } from './parse-rule.js';
import type { UserLookup } from './user-lookup.js';

/** What the parse functions share while reading one control file. */
export interface ParserContext {
  readonly ts: ArrayTokenStream;
  readonly registry: GrammarRegistry;
  readonly users: UserLookup;
  /** For `check system $HOST`. */
  readonly hostname: () => string;
  readonly globals: Globals;
  readonly services: ServiceModel[];
  readonly warnings: Diagnostic[];
  /**
   * Semantic errors met while parsing (an unknown user), as `FILE:LINE: message 'TOKEN'`:
   * parsing goes on and they are all reported at the end, as Monit's `yyerror2`.
   */
  readonly errors?: string[];
  /** The names in `services`, for the duplicate check without a scan per service. */
  readonly serviceNames?: Set<string>;
  /** Services that lost a statement to a semantic error (their completeness is not judged). */
  readonly partial?: Set<ServiceModel>;
  /** Streams over the service types' implicit rule texts, by text (a cache, rewound on use). */
  readonly implicitStreams?: Map<string, ArrayTokenStream>;
  /**
   * Implicit rules parsed once for every service of a type, by type and text: those whose
   * test read nothing of the service (its name, its target) while parsing.
   */
  readonly implicitRules?: Map<ServiceTypeDefinition<unknown, unknown, unknown>, Map<string, ParsedRule>>;
}

/** Words that start a top-level statement and so end a service block (reference L13). */
export const TOP_LEVEL_WORDS: readonly string[] = ['check', 'set', 'load'];

/**
 * Run `parse` and return what it returns. A semantic error it throws (Monit's `yyerror2`)
 * is recorded in `ctx.errors` and undefined returned: Monit reports every such error of a
 * file, reading on after each. Without `ctx.errors`, or for a syntax error, it propagates.
 */
export function readOn<T>(ctx: Pick<ParserContext, 'errors'>, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!ctx.errors || !isSemanticError(err)) throw err;
    ctx.errors.push(`${err.file}:${err.line}: ${err.message}`);
    return undefined;
  }
}

/**
 * Skip to where parsing reads on after a semantic error: the next token for which `stop`
 * is true, or the end.
 */
export function skipUntil(ts: ArrayTokenStream, stop: (tok: Token, previous: Token | undefined) => boolean): void {
  let previous: Token | undefined;
  while (!ts.atEnd() && !stop(ts.peek(), previous)) previous = ts.next();
}

/**
 * A word in lowercase, for matching keywords. Words are mostly written in lowercase
 * already, and `toLowerCase` costs more than this check on every statement of a large file.
 */
export function lowerWord(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return text.toLowerCase();
  }
  return text;
}
