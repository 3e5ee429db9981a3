import { hostname as osHostname } from 'node:os';
import { ArrayTokenStream, type Token } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { ControlModel, Diagnostic, Globals, ServiceModel } from '../model.js';
import { ControlFileError } from './control-file-error.js';
import { parseLoad, parseSet } from './parse-globals.js';
import { parseCheck } from './parse-service.js';
import type { ParserContext } from './parser-context.js';
import { systemUserLookup, type UserLookup } from './user-lookup.js';
import { validateDepends } from './validate-depends.js';

/** What the parser may be given instead of the real system. */
export interface ParseOptions {
  /** Resolves `uid NAME` / `gid NAME`; default reads `/etc/passwd` and `/etc/group`. */
  readonly users?: UserLookup;
  /** The name `$HOST` stands for; default `os.hostname()`. */
  readonly hostname?: () => string;
  /** Warnings found before parsing (from include expansion), kept first in the model. */
  readonly warnings?: readonly Diagnostic[];
}

/**
 * Parse a monitrc token list (includes already expanded, see `expandIncludes`) into the
 * typed model. The words of each test, service header and plugin action are handed to the
 * plugin that owns them, found through `registry`.
 *
 * Throws the first syntax error as a `ParseError` (`FILE:LINE: syntax error 'TOKEN'`);
 * parsing stops there, as in Monit. Semantic errors found once the whole file is read
 * (`depends`) are thrown together as one {@link ControlFileError}.
 */
export function parseMonitrc(tokens: Token[], file: string, registry: GrammarRegistry, options: ParseOptions = {}): ControlModel {
  const globals: Globals = { loads: [], alerts: [], settings: {} };
  const services: ServiceModel[] = [];
  const warnings: Diagnostic[] = [...(options.warnings ?? [])];
  const ctx: ParserContext = {
    ts: new ArrayTokenStream(tokens),
    registry,
    users: options.users ?? systemUserLookup(),
    hostname: options.hostname ?? osHostname,
    globals,
    services,
    warnings,
  };
  const { ts } = ctx;
  while (!ts.atEnd()) {
    const tok = ts.next();
    switch (tok.kind === 'word' ? tok.text.toLowerCase() : '') {
      case 'set':
        parseSet(ctx);
        break;
      case 'check':
        services.push(parseCheck(ctx, tok));
        break;
      case 'load':
        parseLoad(ctx, tok);
        break;
      default:
        ts.syntaxError(undefined, tok);
    }
  }
  const errors = validateDepends(services);
  if (errors.length > 0) throw new ControlFileError(errors);
  return { file, globals, services, warnings };
}
