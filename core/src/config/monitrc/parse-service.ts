import { ArrayTokenStream, tokenize, type Token } from '@warden/sdk';
import type { MonitorMode, ServiceModel } from '../model.js';
import { parseAddress, parseAlertRecipient } from './parse-alert.js';
import { parseProgram } from './parse-program.js';
import { parseRule } from './parse-rule.js';
import { parseEvery } from './parse-schedule.js';
import { TOP_LEVEL_WORDS, type ParserContext } from './parser-context.js';

/** Words that start a service statement; an unquoted one ends a `depends` list. */
const SERVICE_WORDS: readonly string[] = [
  ...TOP_LEVEL_WORDS, 'if', 'group', 'depends', 'depend', 'every', 'not', 'mode', 'onreboot',
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
  const definition = typeTok.kind === 'word' ? registry.serviceType(typeTok.text.toLowerCase()) : undefined;
  if (!definition) return ts.syntaxError(undefined, typeTok);
  const nameTok = ts.nextRaw();
  if (nameTok.kind !== 'word' && nameTok.kind !== 'string' && nameTok.kind !== 'number') {
    ts.syntaxError('a service name', nameTok);
  }
  const name = nameTok.kind === 'word' && nameTok.text === '$HOST' ? ctx.hostname() : nameTok.text;
  if (name.startsWith('/')) ts.error(`Service name '${name}' must not start with '/' -- `, nameTok);
  if (ctx.services.some((s) => s.name === name)) ts.error(`Service name conflict, ${name} already defined`, nameTok);
  const target = definition.parseTarget(ts, { name });
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
    onreboot: 'start',
    alerts: [],
    noalerts: [],
    rules: [],
    restartLimits: [],
  };
  while (!ts.atEnd() && !ts.at(...TOP_LEVEL_WORDS)) parseServiceStatement(ctx, service);
  addImplicitRules(ctx, service, checkTok);
  return service;
}

function parseServiceStatement(ctx: ParserContext, service: ServiceModel): void {
  const { ts } = ctx;
  const tok = ts.peek();
  const word = tok.kind === 'word' ? tok.text.toLowerCase() : '';
  ts.next();
  switch (word) {
    case 'if': {
      const parsed = parseRule(ts, ctx.registry, service, tok);
      if (parsed.kind === 'restart-limit') service.restartLimits.push(parsed.limit);
      else service.rules.push({ ...parsed.rule, id: service.rules.length, implicit: false });
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
      service[word] = parseProgram(ts, ctx.users);
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
    ctx.warnings.push({ file: tok.file, line: tok.line, message: `Service '${service.name}' has more than one every statement, the last one is used` });
  }
  service.schedule = parseEvery(ctx.ts, negate);
}

/**
 * The service type's implicit rules (`if does not exist then restart`), parsed like the
 * user's and placed at the check's line, unless a user rule uses the same test.
 */
function addImplicitRules(ctx: ParserContext, service: ServiceModel, checkTok: Token): void {
  const texts = service.definition.implicitRules?.(service.target) ?? [];
  for (const text of texts) {
    const tokens = tokenize(text, checkTok.file).map((t) => ({ ...t, line: checkTok.line }));
    const ts = new ArrayTokenStream(tokens);
    const ifTok = ts.expect('if');
    const parsed = parseRule(ts, ctx.registry, service, ifTok);
    if (!ts.atEnd()) ts.syntaxError('the end of the rule');
    if (parsed.kind === 'restart-limit') {
      if (service.restartLimits.length === 0) service.restartLimits.push(parsed.limit);
      continue;
    }
    const testName = parsed.rule.test.name;
    if (service.rules.some((r) => r.test.name === testName)) continue;
    service.rules.push({ ...parsed.rule, id: service.rules.length, implicit: true });
  }
}
