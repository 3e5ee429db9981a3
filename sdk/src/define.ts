import type { ActionContext, MetricDoc, ObserveContext, ProbeContext, Logger } from './context.js';
import type { ActionResult, ProbeResult } from './result.js';
import type { Comparison, TokenStream } from './tokens.js';

/** The plugin API version this sdk implements; a manifest must declare it. */
export const API_VERSION = 1;

/** Monit's event classes: the alert-filter keywords of reference §F. */
export type EventClass =
  | 'action' | 'checksum' | 'bytein' | 'byteout' | 'connection' | 'content' | 'data' | 'exec'
  | 'exist' | 'fsflags' | 'gid' | 'icmp' | 'instance' | 'invalid' | 'link' | 'nonexist'
  | 'packetin' | 'packetout' | 'permission' | 'pid' | 'ppid' | 'resource' | 'saturation'
  | 'size' | 'speed' | 'status' | 'timeout' | 'timestamp' | 'uid' | 'uptime';

/** The kinds of service a `check` statement can declare (also the `-t --json` `type`). */
export type MonitType =
  | 'process' | 'file' | 'fifo' | 'directory' | 'filesystem' | 'host' | 'system' | 'program'
  | 'network' | 'job';

/** One documented option: the README's options table is generated from these. */
export interface OptionDoc {
  readonly type: 'string' | 'number' | 'integer' | 'duration' | 'size' | 'path' | 'boolean' | 'enum' | 'comparison';
  readonly description: string;
  readonly default?: string | number | boolean;
  readonly values?: readonly string[];
}

/** Option documentation by option name. */
export type OptionDocs = Readonly<Record<string, OptionDoc>>;

/**
 * The word before a test in a rule: `if failed port …`, `if succeeded port …`,
 * `if changed checksum …`, or none (`if cpu > 80% …`, `if does not exist …`).
 */
export type Polarity = 'none' | 'failed' | 'succeeded' | 'changed';

/**
 * How the rule engine judges a test's result:
 * - `state`: the probe's `ok`/`failed` decides (inverted for `if succeeded …` and `if exist`);
 * - `compare`: the probe's `value` is compared with the threshold;
 * - `changed`: a `value` different from the last one is a change event.
 */
export type Condition =
  | { readonly kind: 'state'; readonly invert?: boolean }
  | { readonly kind: 'compare'; readonly comparison: Comparison }
  | { readonly kind: 'changed' };

/** What a test's `parse` returns. */
export interface ParsedTest<Options> {
  readonly options: Options;
  readonly condition: Condition;
  /** Overrides the test's declared event class for this rule (`exist` vs `nonexist`). */
  readonly event?: EventClass;
  /** The rule as it reads, for status pages and `-t --json` (`status != 0`). */
  readonly describe: string;
}

/** What a parse function learns about where it is, and the lookups it may need. */
export interface ParseContext {
  readonly polarity: Polarity;
  readonly serviceType: string;
  readonly serviceName: string;
  /** A protocol by name (`protocol http`), from any loaded plugin. */
  protocol(name: string): ProtocolDefinition<unknown> | undefined;
}

/** How to find the monitored object: `check file NAME with path PATH`. */
export interface ServiceTypeDefinition<Options = unknown, Target = unknown, State = unknown> {
  readonly kind: 'service-type';
  /** Unique name; also the word after `check` unless `keywords` says otherwise. */
  readonly name: string;
  readonly summary: string;
  /** Words after `check` that select this type (`['filesystem', 'device']`). */
  readonly keywords: readonly string[];
  /** The `-t --json` type and the XML status type family. */
  readonly monitType: MonitType;
  readonly options?: OptionDocs;
  /** Parse the rest of the header after `check TYPE NAME` (`with path /x`). */
  parseTarget(ts: TokenStream, ctx: { readonly name: string }): Options;
  /** Rules every such service has unless the user wrote one for the same test (monitrc text). */
  implicitRules?(options: Options): readonly string[];
  /** One line for status pages: `/etc/hosts`, `"/bin/check -q"`. */
  describe?(options: Options): string;
  /** Per-service state, created when the service is built (a running program, a pid). */
  init?(options: Options): State;
  /** Once per cycle, before the tests: what they all look at (a stat, a pid, a result). */
  observe?(ctx: ObserveContext<Options, State>): Promise<Target> | Target;
  /** Release what `init` holds (kill a running program) when the service goes away. */
  dispose?(state: State, log: Logger): Promise<void> | void;
}

/** One test keyword family: `if status != 0`, `if does not exist`. */
export interface TestDefinition<Options = unknown, Target = unknown> {
  readonly kind: 'test';
  /** Unique name, `<plugin>.<test>` by convention. */
  readonly name: string;
  readonly summary: string;
  /** Service types (by name) whose `check` blocks accept this test. */
  readonly serviceTypes: readonly string[];
  /** The first word of the test after the polarity word (`status`, `exist`, `not`). */
  readonly keywords: readonly string[];
  /** Which polarity words may precede the keyword. */
  readonly polarities: readonly Polarity[];
  /** Default event class of its events. */
  readonly event: EventClass;
  /** Declared failure codes with a line each: `{ 'file.missing': 'the path does not exist' }`. */
  readonly codes: Readonly<Record<string, string>>;
  readonly options?: OptionDocs;
  readonly metrics?: readonly MetricDoc[];
  /** Parse the test's words, from its keyword up to (not including) the rate or `then`. */
  parse(ts: TokenStream, ctx: ParseContext): ParsedTest<Options>;
  /** Observe and report. Pass `ctx.signal` to all I/O; never time yourself. */
  run(ctx: ProbeContext<Options, Target>): Promise<ProbeResult> | ProbeResult;
}

/** What a protocol gets: a connected socket, already through TLS when asked. */
export interface ProtocolContext<Options> {
  readonly socket: import('node:net').Socket;
  readonly options: Options;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** A protocol dialogue for `protocol NAME` (the `protocols` family owns the connection). */
export interface ProtocolDefinition<Options = unknown> {
  readonly kind: 'protocol';
  readonly name: string;
  readonly summary: string;
  readonly defaultPort?: number;
  readonly transport?: 'tcp' | 'udp';
  readonly options?: OptionDocs;
  parse?(ts: TokenStream): Options;
  speak(ctx: ProtocolContext<Options>): Promise<ProbeResult>;
}

/** Something a rule does: `then exec "…"`. */
export interface ActionDefinition<Options = unknown> {
  readonly kind: 'action';
  readonly name: string;
  readonly summary: string;
  /** The words after `then`/`else` that select it. */
  readonly keywords: readonly string[];
  readonly options?: OptionDocs;
  /** Parse the action's words after its keyword. */
  parse(ts: TokenStream): Options;
  /** One line for `-t --json` and status pages. */
  describe?(options: Options): string;
  run(ctx: ActionContext<Options>): Promise<ActionResult>;
}

/**
 * A global statement a plugin owns: `set mailserver …`, `set eventqueue …`. Core stores
 * what `parse` returns under the setting's name in the model's globals; the plugin's
 * other definitions read it at run time through their contexts.
 */
export interface SettingDefinition<Options = unknown> {
  readonly kind: 'setting';
  readonly name: string;
  readonly summary: string;
  /** The word after `set` (`mailserver`). */
  readonly keywords: readonly string[];
  /** May the statement appear more than once (values collected in order)? */
  readonly repeatable?: boolean;
  readonly options?: OptionDocs;
  /** Parse the statement's words after its keyword. */
  parse(ts: TokenStream): Options;
}

/** Any definition a plugin contributes. */
export type Definition =
  | ServiceTypeDefinition<any, any, any>
  | TestDefinition<any, any>
  | ProtocolDefinition<any>
  | ActionDefinition<any>
  | SettingDefinition<any>;

/** A plugin module's default export: its definitions, by value. */
export interface Plugin {
  readonly apiVersion: number;
  readonly definitions: readonly Definition[];
}

/** Declare a service type. */
export function defineServiceType<O, T = unknown, S = undefined>(
  def: Omit<ServiceTypeDefinition<O, T, S>, 'kind'>,
): ServiceTypeDefinition<O, T, S> {
  return { kind: 'service-type', ...def };
}

/** Declare a test. */
export function defineTest<O, T = unknown>(def: Omit<TestDefinition<O, T>, 'kind'>): TestDefinition<O, T> {
  return { kind: 'test', ...def };
}

/** Declare a protocol. */
export function defineProtocol<O>(def: Omit<ProtocolDefinition<O>, 'kind'>): ProtocolDefinition<O> {
  return { kind: 'protocol', ...def };
}

/** Declare an action. */
export function defineAction<O>(def: Omit<ActionDefinition<O>, 'kind'>): ActionDefinition<O> {
  return { kind: 'action', ...def };
}

/** Declare a global `set …` statement. */
export function defineSetting<O>(def: Omit<SettingDefinition<O>, 'kind'>): SettingDefinition<O> {
  return { kind: 'setting', ...def };
}

/** Bundle a plugin's definitions as its default export. */
export function definePlugin(definitions: readonly Definition[]): Plugin {
  return { apiVersion: API_VERSION, definitions };
}

/** The manifest id of a definition as written in `contributes`: `test:file.exist`. */
export function contributionId(def: Definition): string {
  return `${def.kind}:${def.name}`;
}
