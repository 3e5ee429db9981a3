import type { ActionContext, EventStore, MetricDoc, NotifyContext, ObserveContext, ProbeContext, Logger } from './context.js';
import type { ActionResult, Observation, ProbeResult } from './result.js';
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
  /** What the service type's `parseTarget` returned for this service (`{ path }` for a file). */
  readonly target?: unknown;
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
  /**
   * What status pages show for the object whatever the rules (a file's mode, uid, size and
   * times; a process's pid). Well-known keys feed Monit's XML: `mode` (octal text), `uid`,
   * `gid`, `size` (bytes), `accessTime`, `changeTime`, `modifyTime` (epoch seconds).
   * Called when a status is read (a page, an exec's environment), on the last target observed,
   * not every cycle; a probe's own `observations` win a key both report.
   */
  observations?(target: Target): Readonly<Record<string, Observation>>;
  /**
   * Whether two targets `observe` returned are the same observation for every test and for
   * `observations` (a stat none of whose fields moved). With it, core skips the tests that
   * declare themselves {@link TestDefinition.steady} while the target stays the same and the
   * service's rules rest (see there). Absent: every test runs every cycle.
   */
  sameTarget?(previous: Target, next: Target): boolean;
  /**
   * The path whose stat(2) (symlinks followed) is all `observe` reads, for a type whose target
   * is a function of that stat alone and whose `observe` hands back its last target while no
   * field of the stat moves (a file, a directory). Core then stats the paths of such services
   * in batches, and a service whose path did not move in any field since its last check is
   * not observed again, once `observe` has handed back the target its probes ran on (at once
   * when its rules all rest): that target stands, and the tests that do not rest run on it.
   * Absent: `observe` runs every check. Undefined for a service of the type that has no such
   * path.
   */
  statPath?(options: Options): string | undefined;
  /**
   * With {@link statPath}: a file the service keeps open whose content, read from offset 0, is
   * with that stat all `observe` reads of its object (a process's `/proc/PID/stat`), or
   * undefined when it keeps none now. `observe` must hand back its last target while neither
   * the stat nor this content moves, from the second time it handed back the same one (a
   * figure over the last interval, a CPU percentage, may move once more after its input
   * stopped; core stops observing only once `observe` has handed back the target the probes
   * ran on). Core reads the descriptor after each check and reads the file in its batches; a
   * service with none open is observed every check.
   */
  statFd?(state: State): number | undefined;
  /**
   * True when `observations` may differ for targets `sameTarget` calls the same: fields no test
   * but an unsteady one reads (a process's uptime, moved on in place in the target it hands
   * back). Then every check, resting or not, makes the status read `observations` again,
   * and a service with an unsteady rule is observed every check even while its `statPath`
   * stays; otherwise the same target keeps the last ones.
   */
  readonly observationsMove?: boolean;
  /** Release what `init` holds (kill a running program) when the service goes away. */
  dispose?(state: State, log: Logger): Promise<void> | void;
  /**
   * On reload, take over the state of the previous configuration's service of the same
   * name and type whose options are deep-equal, instead of `init` (a supervised job keeps
   * running untouched). Core then does not `dispose` the old state. Absent: `init` + `dispose`.
   */
  adopt?(previous: State, options: Options): State;
  /**
   * Whether the object is running, for service types whose start and stop programs start or
   * stop it (a process). Core then waits, after the program, until `observe` says it runs
   * (start) or no longer runs (stop), within the method's timeout, else `Execution failed`.
   */
  running?(target: Target): boolean;
  /**
   * A pid core may watch between cycles (cheaply: `kill(pid, 0)` and its `stat` state) so a
   * death is checked at once instead of at the next cycle. Undefined: nothing to watch.
   */
  watchPid?(target: Target): number | undefined;
  /**
   * Variables for programs run for this service (start/stop/restart, exec), without the
   * `MONIT_`/`WARDEN_` prefix core adds: `{ PROCESS_PID: '42' }` (reference V8). `observations`
   * are the service's last values, including the ones its tests reported.
   */
  environment?(target: Target | undefined, observations: Readonly<Record<string, Observation>>): Readonly<Record<string, string>>;
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
  /**
   * True when, for these options, `run` depends on nothing but the target and what its own
   * earlier runs left in `ctx.state`/`ctx.persist`: run twice in a row on targets the service
   * type calls the same (`sameTarget`), the second run changes no state, sets no new metric
   * value and starts no I/O of its own, so every further run on that target would return what
   * the second did. A test that reads the clock (an age), a file's content or a socket is not
   * steady. Core then skips `run` while the service's target does not move and the rule rests
   * (passing, no rate counting, no event due), reusing the last result, whatever the service's
   * other rules do; the test's own `ctx.log.debug` lines are not repeated meanwhile. Absent:
   * never steady.
   */
  steady?(options: Options): boolean;
}

/** What a protocol gets: a connected socket, already through TLS when asked. */
export interface ProtocolContext<Options> {
  readonly socket: import('node:net').Socket;
  readonly options: Options;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /**
   * Where the connection goes, for protocols that name their peer (an HTTP `Host` header,
   * a WebSocket handshake): the host as written, the port, and whether TLS is on.
   * Absent for unix sockets.
   */
  readonly peer?: { readonly host: string; readonly port: number; readonly tls: boolean };
  /**
   * For a `type udp` test: a dgram socket connected to the peer. `socket` is then an
   * unconnected, destroyed placeholder; a UDP protocol speaks through this one.
   */
  readonly udp?: import('node:dgram').Socket;
  /**
   * Set when the test asked for TLS by STARTTLS (Monit: `ssl` on ports 25, 143 and 587):
   * the protocol sends its STARTTLS command, then calls this to run the handshake on the
   * same connection and continues on the socket it returns. Certificate checks happen there.
   */
  readonly startTls?: () => Promise<import('node:net').Socket>;
}

/**
 * What a protocol that keeps its connections gets instead of a socket (see
 * `ProtocolDefinition.speakPooled`).
 */
export interface PooledProtocolContext<Options> {
  readonly options: Options;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Where the connection goes, as for `ProtocolContext.peer`. */
  readonly peer: { readonly host: string; readonly port: number; readonly tls: boolean };
  /**
   * Names everything that makes two connections interchangeable (addresses, port, source
   * address, TLS settings): connections from `connect` may serve any later call with the same key.
   */
  readonly key: string;
  /** Open a new connection the family's way (addresses in order, TLS done), until `signal`. */
  connect(signal: AbortSignal): Promise<import('node:net').Socket>;
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
  /**
   * For a protocol whose connections can serve one request after another (HTTP keep-alive):
   * on a clear TCP test (a TLS test's certificate is inspected on every check) the family calls
   * this instead of `speak` and opens connections only when the protocol asks, through `ctx.connect`. The
   * protocol may keep them across cycles and services with the same `ctx.key`; it must report a
   * peer that went away on the same call (a refused connection, not a stale socket). Network
   * errors it throws are worded by the family as for `speak`.
   */
  speakPooled?(ctx: PooledProtocolContext<Options>): Promise<ProbeResult>;
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

/** What a notifier reports for one delivery attempt. */
export type DeliveryResult =
  | { readonly ok: true; readonly message?: string }
  /** `permanent`: retrying cannot help (a rejected recipient); the event is dropped. */
  | { readonly ok: false; readonly message: string; readonly permanent?: boolean };

/**
 * Where alerts go: mail, Alertmanager, a webhook. Core routes each event to every active
 * notifier, keeps it in the event store until `deliver` succeeds, and never waits for a
 * delivery on the checking path.
 */
export interface NotifierDefinition {
  readonly kind: 'notifier';
  readonly name: string;
  readonly summary: string;
  /**
   * The setting (`set alertmanager …`) the notifier needs: without it the notifier is off.
   * A per-recipient notifier is on whenever an event has a recipient.
   */
  readonly settings?: string;
  /** True for mail: one alert per recipient address (`set alert`, `alert`, `noalert`). */
  readonly perRecipient: boolean;
  deliver(ctx: NotifyContext): Promise<DeliveryResult>;
}

/** A durable home for undelivered alerts: `set eventqueue basedir PATH [slots N]`. */
export interface EventStoreDefinition {
  readonly kind: 'event-store';
  readonly name: string;
  readonly summary: string;
  /** The setting that turns it on (`eventqueue`). */
  readonly setting: string;
  /** The store for these settings, or undefined when the setting is absent. */
  open(ctx: { readonly settings: Readonly<Record<string, unknown>>; readonly log: Logger }): EventStore | undefined;
}

/** Any definition a plugin contributes. */
export type Definition =
  | ServiceTypeDefinition<any, any, any>
  | TestDefinition<any, any>
  | ProtocolDefinition<any>
  | ActionDefinition<any>
  | SettingDefinition<any>
  | NotifierDefinition
  | EventStoreDefinition;

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

/** Declare a notifier (mail, Alertmanager, webhook). */
export function defineNotifier(def: Omit<NotifierDefinition, 'kind'>): NotifierDefinition {
  return { kind: 'notifier', ...def };
}

/** Declare an event store (the durable event queue). */
export function defineEventStore(def: Omit<EventStoreDefinition, 'kind'>): EventStoreDefinition {
  return { kind: 'event-store', ...def };
}

/** Bundle a plugin's definitions as its default export. */
export function definePlugin(definitions: readonly Definition[]): Plugin {
  return { apiVersion: API_VERSION, definitions };
}

/** The manifest id of a definition as written in `contributes`: `test:file.exist`. */
export function contributionId(def: Definition): string {
  return `${def.kind}:${def.name}`;
}
