import { ArrayTokenStream, isParseError, matches, ParseError, tokenize, type Token } from '@warden/sdk';
import type { ContentIgnore, MonitorMode, ServiceModel } from '../model.js';
import { parseAddress, parseAlertRecipient } from './parse-alert.js';
import { parseProgram } from './parse-program.js';
import { parseRule, ruleModel, type ParsedRule } from './parse-rule.js';
import { parseEvery } from './parse-schedule.js';
import { lowerWord, readOn, skipUntil, TOP_LEVEL_WORDS, type ParserContext } from './parser-context.js';

/** Words that start a service statement; an unquoted one ends a `depends` list. */
const SERVICE_WORDS: readonly string[] = [
  ...TOP_LEVEL_WORDS, 'if', 'ignore', 'group', 'depends', 'depend', 'every', 'not', 'mode', 'onreboot',
  'start', 'stop', 'restart', 'alert', 'noalert',
];

/**
 * `check TYPE NAME <header>` after `check` (consumed, passed as `checkTok`), then the
 * service statements up to the next `check`, `set`, `load` or the end, then the type's
 * implicit rules the user did not replace.
 */
export function parseCheck(ctx: ParserContext, checkTok: Token): ServiceModel {
  const { ts, registry } = ctx;
  // Raw: `program` is a noise word everywhere else.
  const typeTok = ts.nextRaw();
  const definition = typeTok.kind === 'word' ? registry.serviceType(lowerWord(typeTok.text)) : undefined;
  if (!definition) return ts.syntaxError(undefined, typeTok);
  const nameTok = ts.nextRaw();
  if (nameTok.kind !== 'word' && nameTok.kind !== 'string' && nameTok.kind !== 'number') {
    ts.syntaxError('a service name', nameTok);
  }
  const name = nameTok.kind === 'word' && nameTok.text === '$HOST' ? ctx.hostname() : nameTok.text;
  if (name.startsWith('/')) ts.error(`Service name '${name}' must not start with '/' -- `, nameTok);
  const before = ts.mark();
  const target = definition.parseTarget(ts, { name });
  // Monit notices the conflict after the header, so it quotes the header's last word.
  if (ctx.serviceNames ? ctx.serviceNames.has(name) : ctx.services.some((s) => s.name === name)) {
    readOn(ctx, () => ts.error(`Service name conflict, ${name} already defined`, lastTokenSince(ts, before) ?? nameTok));
  }
  const service: ServiceModel = {
    name,
    typeName: definition.name,
    monitType: definition.monitType,
    definition,
    target,
    pos: { file: checkTok.file, line: checkTok.line },
    groups: [],
    depends: [],
    schedule: { kind: 'always' },
    mode: 'active',
    // Monit copies `set onreboot` into each service as it is declared (reference A33).
    onreboot: ctx.globals.onreboot ?? 'start',
    alerts: [],
    noalerts: [],
    rules: [],
    restartLimits: [],
  };
  while (!ts.atEnd() && !endsBlock(ts.peek())) {
    const read = readOn(ctx, () => {
      parseServiceStatement(ctx, service);
      return true;
    });
    if (!read) {
      ctx.partial?.add(service);
      skipUntil(ts, startsStatement);
    }
  }
  addImplicitRules(ctx, service, checkTok);
  return service;
}

const TOP_LEVEL: ReadonlySet<string> = new Set(TOP_LEVEL_WORDS);

/** A top-level word (`check`, `set`, `load`) ends the service block (reference L13). */
function endsBlock(tok: Token): boolean {
  return tok.kind === 'word' && tok.text.length <= 5 && TOP_LEVEL.has(lowerWord(tok.text));
}

/**
 * Where parsing reads on after a semantic error in a service statement: the next word that
 * starts one, unless it is the action after `then` or `else`.
 */
function startsStatement(tok: Token, previous: Token | undefined): boolean {
  return matches(tok, SERVICE_WORDS) && !(previous && matches(previous, ['then', 'else']));
}

function parseServiceStatement(ctx: ParserContext, service: ServiceModel): void {
  const { ts } = ctx;
  const tok = ts.peek();
  const word = tok.kind === 'word' ? lowerWord(tok.text) : '';
  ts.next();
  switch (word) {
    case 'if': {
      const parsed = parseRule(ts, ctx.registry, service, tok, ctx.errors);
      if (!parsed) {
        ctx.partial?.add(service);
        return;
      }
      if (parsed.kind === 'restart-limit') service.restartLimits.push(parsed.limit);
      else service.rules.push(ruleModel(parsed.rule, service.rules.length, false));
      return;
    }
    case 'group': {
      const groupTok = ts.peek();
      const group = ts.string('a group name');
      if (/\s/.test(group) || group === '') ts.syntaxError('a group name without spaces', groupTok);
      if (!service.groups.includes(group)) service.groups.push(group);
      return;
    }
    case 'depends':
    case 'depend':
      parseDepends(ctx, service);
      return;
    case 'ignore':
      parseIgnore(ctx, service, tok);
      return;
    case 'not':
      ts.expect('every');
      setSchedule(ctx, service, tok, true);
      return;
    case 'every':
      setSchedule(ctx, service, tok, false);
      return;
    case 'mode':
      service.mode = ts.expect('active', 'passive', 'manual').text.toLowerCase() as MonitorMode;
      // Monit 5.33 turns `mode manual` into `onreboot laststate` (reference D19).
      if (service.mode === 'manual') service.onreboot = 'laststate';
      return;
    case 'onreboot':
      service.onreboot = ts.expect('start', 'nostart', 'laststate').text.toLowerCase() as ServiceModel['onreboot'];
      return;
    case 'start':
    case 'stop':
    case 'restart':
      service[word] = parseProgram(ts, ctx.users, ctx.errors);
      return;
    case 'alert':
      service.alerts.push(parseAlertRecipient(ts));
      return;
    case 'noalert':
      service.noalerts.push(parseAddress(ts).address);
      return;
    default:
      ts.syntaxError(undefined, tok);
  }
}

/** `depends [on] A[, B …]`: names until a statement word; quote a name that is one. */
function parseDepends({ ts }: ParserContext, service: ServiceModel): void {
  let count = 0;
  for (;;) {
    const tok = ts.peek();
    const isName = tok.kind === 'string' || (tok.kind === 'word' && !SERVICE_WORDS.includes(tok.text.toLowerCase()));
    if (!isName) break;
    ts.next();
    count++;
    if (!service.depends.includes(tok.text)) service.depends.push(tok.text);
  }
  if (count === 0) ts.syntaxError('a service name');
}

function setSchedule(ctx: ParserContext, service: ServiceModel, tok: Token, negate: boolean): void {
  if (service.schedule.kind !== 'always') {
    const value = ctx.ts.peek();
    ctx.warnings.push({ file: tok.file, line: tok.line, message: `The 'every' statement can be specified only once, the last value will be used '${value.raw}'` });
  }
  service.schedule = parseEvery(ctx.ts, negate);
}

/** `ignore [not] content|match …` (after `ignore`): the content test parses the words. */
function parseIgnore({ ts, registry }: ParserContext, service: ServiceModel, tok: Token): void {
  const not = ts.accept('not') !== undefined;
  const keywordTok = ts.peek();
  const test = keywordTok.kind === 'word' && ts.at('content', 'match') ? registry.test(service.typeName, 'none', keywordTok.text.toLowerCase()) : undefined;
  if (!test) return ts.syntaxError(undefined, keywordTok);
  const parsed = test.parse(ts, { polarity: 'none', serviceType: service.typeName, serviceName: service.name, protocol: (name) => registry.protocol(name) });
  ((service as { ignores?: ContentIgnore[] }).ignores ??= []).push({ test, options: parsed.options, not, pos: { file: tok.file, line: tok.line } });
}

/** The last significant token read since `mark` (the stream is left where it was). */
function lastTokenSince(ts: ParserContext['ts'], mark: number): Token | undefined {
  const end = ts.mark();
  ts.reset(mark);
  let last: Token | undefined;
  for (let i = 0; i < 10_000 && ts.mark() < end && !ts.atEnd(); i++) last = ts.next();
  ts.reset(end);
  return last;
}

/**
 * The service type's implicit rules (`if does not exist then restart`), parsed like the
 * user's and placed at the check's line, unless a user rule uses the same test.
 */
function addImplicitRules(ctx: ParserContext, service: ServiceModel, checkTok: Token): void {
  const texts = service.definition.implicitRules?.(service.target) ?? [];
  const pos = { file: checkTok.file, line: checkTok.line };
  for (const text of texts) {
    const parsed = parseImplicitRule(ctx, service, text, checkTok);
    if (parsed.kind === 'restart-limit') {
      if (service.restartLimits.length === 0) service.restartLimits.push({ ...parsed.limit, pos, action: { ...parsed.limit.action, pos } });
      continue;
    }
    const { rule } = parsed;
    if (service.rules.some((r) => r.test.name === rule.test.name)) continue;
    service.rules.push(ruleModel(rule, service.rules.length, true, pos));
  }
}

/**
 * Parse an implicit rule's text for `service`. The same few texts recur for every service
 * of a type, so each is tokenized once per parse and its stream rewound, and a rule whose
 * test read nothing of the service is parsed once per type and text (5000 file services:
 * 10,000 implicit rules, a third of the parse); its positions are the stream's, so the
 * caller places the rule, and an error is placed at the `check`.
 */
function parseImplicitRule(ctx: ParserContext, service: ServiceModel, text: string, checkTok: Token): ParsedRule {
  let byText = ctx.implicitRules?.get(service.definition);
  const known = byText?.get(text);
  if (known) return known;
  let ts = ctx.implicitStreams?.get(text);
  if (!ts) {
    ts = new ArrayTokenStream(tokenize(text, checkTok.file));
    ctx.implicitStreams?.set(text, ts);
  }
  ts.reset(0);
  const reads = { read: false };
  let parsed: ParsedRule;
  try {
    parsed = parseRule(ts, ctx.registry, service, ts.expect('if'), undefined, reads);
    if (!ts.atEnd()) ts.syntaxError('the end of the rule');
  } catch (err) {
    if (isParseError(err)) throw new ParseError(checkTok, err.message);
    throw err;
  }
  if (!reads.read && ctx.implicitRules) {
    if (!byText) ctx.implicitRules.set(service.definition, (byText = new Map()));
    byText.set(text, parsed);
  }
  return parsed;
}
