import type { ArrayTokenStream } from '@warden/sdk';
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
}

/** Words that start a top-level statement and so end a service block (reference L13). */
export const TOP_LEVEL_WORDS: readonly string[] = ['check', 'set', 'load'];
