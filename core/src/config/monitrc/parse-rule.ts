import { matches, ParseError, type ArrayTokenStream, type ParseContext, type Polarity, type SourcePos, type TestDefinition, type Token, type TokenStream } from '@warden/sdk';
import type { GrammarRegistry } from '../grammar.js';
import type { ActionSpec, Rate, RestartLimit, RuleModel, ServiceModel } from '../model.js';
import { lowerWord, readOn, skipUntil, TOP_LEVEL_WORDS } from './parser-context.js';

/** The rate when none is written: one failure in one cycle. */
export const DEFAULT_RATE: Rate = { times: 1, cycles: 1 };

/** Monit's limit on a rate's cycles (reference D8). */
export const MAX_RATE_CYCLES = 64;

const POLARITIES: readonly Polarity[] = ['failed', 'succeeded', 'changed'];
// `monitor` is not an action in Monit 5.33 (reference E10, T46).
const CORE_ACTIONS = ['alert', 'restart', 'start', 'stop', 'unmonitor'];
const ACTION_LIST = 'an action (alert, restart, start, stop, unmonitor, exec)';

/** What a rule parse produces: a test rule or a restart limit. */
export type ParsedRule =
  | { readonly kind: 'rule'; readonly rule: ParsedRuleFields }
  | { readonly kind: 'restart-limit'; readonly limit: RestartLimit };

/**
 * Parse one rule after its `if` (already consumed, passed as `ifTok`):
 * `if [failed|succeeded|changed] TEST [rate] then ACTION [else [if succeeded [rate] then] ACTION]`
 * or `if N restart[s] within M cycle[s] then ACTION|timeout`.
 *
 * With `errors`, a semantic error is recorded there and parsing reads on, as Monit does, so
 * the errors after it are reported too: a rate out of range (`for 100 cycles`) leaves the
 * rule with the default rate; an error in the test's words drops the rule (undefined) and
 * parsing goes on from its `then`. With `reads`, `reads.read` is set when the test's parse read
 * the service's name or target: a rule parsed without them is the same for every service of
 * the type.
 */
export function parseRule(ts: ArrayTokenStream, registry: GrammarRegistry, service: ServiceModel, ifTok: Token): ParsedRule;
export function parseRule(ts: ArrayTokenStream, registry: GrammarRegistry, service: ServiceModel, ifTok: Token, errors: undefined, reads: ServiceReads): ParsedRule;
export function parseRule(ts: ArrayTokenStream, registry: GrammarRegistry, service: ServiceModel, ifTok: Token, errors: string[] | undefined): ParsedRule | undefined;
export function parseRule(ts: ArrayTokenStream, registry: GrammarRegistry, service: ServiceModel, ifTok: Token, errors?: string[], reads?: ServiceReads): ParsedRule | undefined {
  const pos = { file: ifTok.file, line: ifTok.line };
  if (ts.peek().kind === 'number' && ts.peek(1).kind === 'word' && /^restarts?$/i.test(ts.peek(1).text)) {
    const rate = readOn({ errors }, () => parseRestartLimitRate(ts));
    if (!rate) return readOnFromThen(ts, registry, true);
    expectThen(ts);
    return { kind: 'restart-limit', limit: { rate, action: parseAction(ts, registry, true), pos } };
  }
  const head = readOn({ errors }, () => parseRuleHead(ts, registry, service, errors, reads));
  if (!head) return readOnFromThen(ts, registry, false);
  const { test, parsed, polarity, rate } = head;
  expectThen(ts);
  const action = parseAction(ts, registry, false);
  const { elseAction, elseRate } = parseElse(ts, registry);
  return {
    kind: 'rule',
    rule: {
      pos,
      test,
      polarity,
      options: parsed.options,
      condition: parsed.condition,
      event: parsed.event ?? test.event,
      describe: parsed.describe,
      rate,
      action,
      ...(elseAction ? { elseAction } : {}),
      elseRate,
    },
  };
}

/**
 * The model of a parsed rule, placed at `pos` when given (an implicit rule is placed at its
 * `check`). Spelled out as one literal: a spread that adds `id` and `implicit` takes V8's
 * slow path, three times per service of a large file.
 */
export function ruleModel(rule: ParsedRuleFields, id: number, implicit: boolean, pos?: SourcePos): RuleModel {
  const { test, polarity, options, condition, event, describe, rate, elseRate } = rule;
  const at = pos ?? rule.pos;
  const action = pos ? { ...rule.action, pos } : rule.action;
  if (!rule.elseAction) return { pos: at, test, polarity, options, condition, event, describe, rate, action, elseRate, id, implicit };
  const elseAction = pos ? { ...rule.elseAction, pos } : rule.elseAction;
  return { pos: at, test, polarity, options, condition, event, describe, rate, action, elseAction, elseRate, id, implicit };
}

/** A rule as {@link parseRule} returns it, before it has its place in a service. */
type ParsedRuleFields = Omit<RuleModel, 'id' | 'implicit'>;

/**
 * After a semantic error before `then`: Monit still parses the rule's action (its syntax
 * errors are reported too). The rule itself is dropped.
 */
function readOnFromThen(ts: ArrayTokenStream, registry: GrammarRegistry, isRestartLimit: boolean): undefined {
  skipUntil(ts, (tok) => matches(tok, RULE_END_WORDS));
  if (!ts.accept('then')) return undefined;
  parseAction(ts, registry, isRestartLimit);
  if (!isRestartLimit) parseElse(ts, registry);
  return undefined;
}

/** Where the words of a rule's test end at the latest: its `then`, or the next statement. */
const RULE_END_WORDS: readonly string[] = ['then', 'if', ...TOP_LEVEL_WORDS];

/** What comes before a test rule's `then`. */
interface RuleHead {
  readonly test: TestDefinition<unknown, unknown>;
  readonly parsed: ReturnType<TestDefinition<unknown, unknown>['parse']>;
  readonly polarity: Polarity;
  readonly rate: Rate;
}

/** `[failed|succeeded|changed] TEST [rate]`: the test's words go to the plugin that owns them. */
function parseRuleHead(ts: ArrayTokenStream, registry: GrammarRegistry, service: ServiceModel, errors: string[] | undefined, reads?: ServiceReads): RuleHead {
  // `if not match "RE"`: the pre-5.0 spelling of `if content != "RE"` (reference C31).
  const notMatch = ts.at('not') && ts.peek(1).kind === 'word' && ts.peek(1).text.toLowerCase() === 'match' ? ts.next() : undefined;
  const polarityTok = notMatch ? undefined : ts.accept(...POLARITIES);
  const polarity = (polarityTok?.text.toLowerCase() ?? 'none') as Polarity;
  let test: TestDefinition<unknown, unknown> | undefined;
  let parsed: ReturnType<TestDefinition<unknown, unknown>['parse']> | undefined;
  // Monit accepts several resources in one rule and keeps only the last (reference C62).
  for (let i = 0; i < 16 && (i === 0 || (ts.peek().kind === 'word' && !ts.at('then'))); i++) {
    const keywordTok = ts.peek();
    const next = keywordTok.kind === 'word' ? registry.test(service.typeName, polarity, lowerWord(keywordTok.text)) : undefined;
    if (!next) {
      // Monit's lexer reads `total cpu` and the like as one token (reference Y06).
      const second = ts.peek(1);
      if (i === 0 && keywordTok.kind === 'word' && /^total$/i.test(keywordTok.text) && second.kind === 'word') {
        throw new ParseError(keywordTok, `syntax error '${keywordTok.raw} ${second.raw}'`);
      }
      if (i === 0) ts.syntaxError(undefined, keywordTok);
      break;
    }
    test = next;
    const context: ParseContext = { polarity, serviceType: service.typeName, serviceName: service.name, target: service.target, protocol: (name) => registry.protocol(name) };
    parsed = test.parse(ts, reads ? tracked(context, reads) : context);
  }
  if (!test || !parsed) return ts.syntaxError();
  if (notMatch) {
    const options = parsed.options as { negate?: boolean };
    parsed = { ...parsed, options: { ...options, negate: !options.negate }, describe: `not ${parsed.describe}` };
  }
  // A rate out of range is reported and the rule kept with the default rate, as Monit does.
  return { test, parsed, polarity, rate: readOn({ errors }, () => parseRate(ts)) ?? DEFAULT_RATE };
}

/** Whether a test's parse read what is particular to its service (see {@link parseRule}). */
export interface ServiceReads {
  read: boolean;
}

/** `context` whose service name and target mark `reads` when a parse reads them. */
function tracked(context: ParseContext, reads: ServiceReads): ParseContext {
  return {
    polarity: context.polarity,
    serviceType: context.serviceType,
    protocol: context.protocol,
    get serviceName() {
      reads.read = true;
      return context.serviceName;
    },
    get target() {
      reads.read = true;
      return context.target;
    },
  };
}

/** `else ACTION` or `else if succeeded [rate] then ACTION`, when present. */
function parseElse(ts: ArrayTokenStream, registry: GrammarRegistry): { elseAction?: ActionSpec; elseRate: Rate } {
  if (!ts.accept('else')) return { elseRate: DEFAULT_RATE };
  let elseRate = DEFAULT_RATE;
  if (ts.accept('if')) {
    ts.expect('succeeded', 'recovered', 'passed', 'failed');
    elseRate = parseRate(ts);
    expectThen(ts);
  }
  return { elseAction: parseAction(ts, registry, false), elseRate };
}

/** `N restart[s] within M cycle[s]`: the rate of a restart limit. */
function parseRestartLimitRate(ts: ArrayTokenStream): Rate {
  const times = ts.integer();
  ts.next();
  const cyclesTok = ts.peek();
  const cycles = ts.integer();
  ts.expect('cycle', 'cycles');
  if (times > cycles) ts.error('The number of restarts must be less than poll cycles', cyclesTok);
  checkCycles(ts, cycles, cyclesTok);
  return { times, cycles };
}

/**
 * `[for] N cycles`, `N times within M cycles` or the bare `N M cycles` (the noise words
 * `for`, `times`, `within` are skipped by the stream); {@link DEFAULT_RATE} when absent.
 */
export function parseRate(ts: TokenStream): Rate {
  if (ts.peek().kind !== 'number') return DEFAULT_RATE;
  const firstTok = ts.peek();
  const first = ts.integer();
  if (ts.peek().kind !== 'number') {
    ts.expect('cycle', 'cycles');
    checkCycles(ts, first, firstTok);
    return { times: first, cycles: first };
  }
  const cyclesTok = ts.peek();
  const cycles = ts.integer();
  ts.expect('cycle', 'cycles');
  checkCycles(ts, cycles, cyclesTok);
  if (first < 1 || first > cycles) {
    ts.error('The number of events must be between 1 and less then poll cycles', cyclesTok);
  }
  return { times: first, cycles };
}

function checkCycles(ts: TokenStream, cycles: number, tok: Token): void {
  if (cycles < 1 || cycles > MAX_RATE_CYCLES) {
    ts.error(`The number of cycles must be between 1 and ${MAX_RATE_CYCLES}`, tok);
  }
}

/** Monit names the token where `then` should have been: `syntax error 'alert'`. */
function expectThen(ts: TokenStream): void {
  if (!ts.accept('then')) ts.syntaxError("'then'");
}

/**
 * An action after `then` or `else`: a core action, `timeout` (restart limits only), or a
 * plugin action with its own words and an optional `repeat every N cycles`.
 */
export function parseAction(ts: TokenStream, registry: GrammarRegistry, allowTimeout: boolean): ActionSpec {
  const tok = ts.peek();
  const word = tok.kind === 'word' ? lowerWord(tok.text) : '';
  const pos = { file: tok.file, line: tok.line };
  if (CORE_ACTIONS.includes(word) || (allowTimeout && word === 'timeout')) {
    ts.next();
    return { name: word, describe: word, pos };
  }
  const definition = word ? registry.action(word) : undefined;
  if (!definition) return ts.syntaxError(ACTION_LIST, tok);
  ts.next();
  const options = definition.parse(ts);
  let repeat: number | undefined;
  if (ts.accept('repeat')) {
    ts.expect('every');
    const repeatTok = ts.peek();
    repeat = ts.integer('a number of cycles');
    ts.expect('cycle', 'cycles');
    if (repeat < 1) ts.error('The repeat interval must be at least 1 cycle', repeatTok);
  }
  const text = definition.describe?.(options) ?? definition.name;
  return {
    name: definition.name,
    definition,
    options,
    ...(repeat !== undefined ? { repeat } : {}),
    describe: repeat !== undefined ? `${text} repeat every ${repeat} cycles` : text,
    pos,
  };
}
