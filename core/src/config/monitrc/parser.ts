import { hostname as osHostname } from 'node:os';
import { ArrayTokenStream, isParseError, tokenize, type Token } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { ControlModel, Diagnostic, Globals, ServiceModel } from '../model.js';
import { ControlFileError } from './control-file-error.js';
import { parseLoad, parseSet } from './parse-globals.js';
import { parseCheck } from './parse-service.js';
import type { ParserContext } from './parser-context.js';
import { systemUserLookup, type UserLookup } from './user-lookup.js';
import { validateDepends } from './validate-depends.js';
import { validateServices } from './validate-service.js';
import { validateHttpd } from './validate-httpd.js';
import { POLL_TIME_INVALID } from './parse-set-misc.js';
const MMONIT_WITHOUT_HTTPD = "M/Monit enabled but no httpd allowed -- please add 'set httpd' statement";

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
 * parsing stops there, as in Monit. Semantic errors (an unknown user of a start program,
 * an incomplete `check host`, `depends`, …) are all collected and thrown together as one
 * {@link ControlFileError}, with a syntax error that followed them last.
 */
export function parseMonitrc(tokens: Token[], file: string, registry: GrammarRegistry, options: ParseOptions = {}): ControlModel {
  const globals: Globals = { loads: [], alerts: [], settings: {} };
  const services: ServiceModel[] = [];
  const warnings: Diagnostic[] = [...(options.warnings ?? [])];
  const parseErrors: string[] = [];
  const ctx: ParserContext = {
    ts: new ArrayTokenStream(tokens),
    registry,
    users: options.users ?? systemUserLookup(),
    hostname: options.hostname ?? osHostname,
    globals,
    services,
    warnings,
    errors: parseErrors,
    serviceNames: new Set(),
    implicitTokens: new Map(),
  };
  try {
    parseStatements(ctx);
  } catch (err) {
    // Monit prints the semantic errors met before a syntax error, then the syntax error.
    if (parseErrors.length > 0 && isParseError(err)) throw new ControlFileError([...parseErrors, `${err.file}:${err.line}: ${err.message}`]);
    throw err;
  }
  const checks = validateServices(services);
  warnings.push(...checks.warnings);
  if (globals.mmonit && !globals.httpd) warnings.push({ ...globals.mmonit[0]!.pos, message: MMONIT_WITHOUT_HTTPD });
  addImplicitSystem(ctx, file);
  const errors = [...parseErrors, ...validateHttpd(globals.httpd), ...checks.errors, ...validateDepends(services)];
  if (globals.init && !globals.daemon) errors.unshift(POLL_TIME_INVALID);
  if (errors.length > 0) throw new ControlFileError(errors);
  return { file, globals, services, warnings };
}

/**
 * Monit adds `check system <hostname>` when a file declares none (reference A38); it is
 * listed after the declared services and counts in status and summary.
 */
function addImplicitSystem(ctx: ParserContext, file: string): void {
  if (ctx.services.some((s) => s.monitType === 'system') || !ctx.registry.serviceType('system')) return;
  const ts = new ArrayTokenStream(tokenize(`check system "${ctx.hostname().replace(/"/g, '')}"`, file));
  const checkTok = ts.next();
  const service = parseCheck({ ...ctx, ts }, checkTok);
  ctx.services.push({ ...service, pos: { file, line: 0 } });
}

/** The top-level statements, until the end of input or the first syntax error. */
function parseStatements(ctx: ParserContext): void {
  const { ts, services } = ctx;
  while (!ts.atEnd()) {
    const tok = ts.next();
    switch (tok.kind === 'word' ? tok.text.toLowerCase() : '') {
      case 'set':
        parseSet(ctx);
        break;
      case 'check': {
        const service = parseCheck(ctx, tok);
        services.push(service);
        ctx.serviceNames?.add(service.name);
        break;
      }
      case 'load':
        parseLoad(ctx, tok);
        break;
      default:
        ts.syntaxError(undefined, tok);
    }
  }
}
