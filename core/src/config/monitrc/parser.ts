import { hostname as osHostname } from 'node:os';
import { ArrayTokenStream, isParseError, matches, tokenize, type Token } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { ControlModel, Diagnostic, Globals, ServiceModel } from '../model.js';
import { ControlFileError } from './control-file-error.js';
import { parseLoad, parseSet } from './parse-globals.js';
import { parseCheck } from './parse-service.js';
import { lowerWord, readOn, skipUntil, TOP_LEVEL_WORDS, type ParserContext } from './parser-context.js';
import { systemUserLookup, type UserLookup } from './user-lookup.js';
import { validateDepends } from './validate-depends.js';
import { programWarnings, serviceErrors } from './validate-service.js';
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
 * parsing stops there, as in Monit. Semantic errors (a value out of range such as
 * `for 100 cycles`, an unknown user, a plugin's `ts.error`, an incomplete `check host`,
 * `depends`, …) are collected in Monit's order, parsing reading on after each, and thrown
 * together as one {@link ControlFileError}, with a syntax error that followed them last.
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
    implicitStreams: new Map(),
    implicitRules: new Map(),
    partial: new Set(),
  };
  try {
    parseStatements(ctx);
  } catch (err) {
    // Monit prints the semantic errors met before a syntax error, then the syntax error.
    if (parseErrors.length > 0 && isParseError(err)) throw new ControlFileError([...parseErrors, `${err.file}:${err.line}: ${err.message}`]);
    throw err;
  }
  warnings.push(...programWarnings(services));
  if (globals.mmonit && !globals.httpd) warnings.push({ ...globals.mmonit[0]!.pos, message: MMONIT_WITHOUT_HTTPD });
  // Monit checks the last service, then the `depends` graph, only when no error came before.
  if (parseErrors.length === 0) {
    if (services.length > 0) checkServiceBlock(ctx, services[services.length - 1]!);
    parseErrors.push(...validateDepends(services));
  }
  addImplicitSystem(ctx, file);
  if (globals.init && !globals.daemon) parseErrors.unshift(POLL_TIME_INVALID);
  if (parseErrors.length > 0) throw new ControlFileError(parseErrors);
  return { file, globals, services, warnings };
}

/**
 * Monit's checks of a service block, run when the next `check` starts (so in file order,
 * between the errors of the statements): skipped for a service that lost a statement to
 * a semantic error, which might have been the test that completed it.
 */
function checkServiceBlock(ctx: ParserContext, service: ServiceModel): void {
  if (!ctx.partial?.has(service)) ctx.errors?.push(...serviceErrors(service));
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
    switch (tok.kind === 'word' ? lowerWord(tok.text) : '') {
      case 'set': {
        const httpd = ctx.globals.httpd;
        const read = readOn(ctx, () => {
          parseSet(ctx);
          return true;
        });
        // Monit reads on after a wrong value (`set httpd port 99999`): from the next statement.
        if (!read) skipUntil(ts, (next) => matches(next, TOP_LEVEL_WORDS));
        // Monit checks the PEM and htpasswd files at the end of `set httpd`.
        else if (ctx.globals.httpd !== httpd) ctx.errors?.push(...validateHttpd(ctx.globals.httpd));
        break;
      }
      case 'check': {
        if (services.length > 0) checkServiceBlock(ctx, services[services.length - 1]!);
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
