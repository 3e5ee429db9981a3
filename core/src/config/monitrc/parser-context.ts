import type { ArrayTokenStream, Token } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { Diagnostic, Globals, ServiceModel } from '../model.js';
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
  /** Tokens of the service types' implicit rule texts, by file and text (a cache). */
  readonly implicitTokens?: Map<string, Token[]>;
}

/** Words that start a top-level statement and so end a service block (reference L13). */
export const TOP_LEVEL_WORDS: readonly string[] = ['check', 'set', 'load'];
