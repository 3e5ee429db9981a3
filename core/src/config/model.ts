import type {
  ActionDefinition,
  Condition,
  EventClass,
  MailFormat,
  MonitType,
  Polarity,
  ServiceTypeDefinition,
  SourcePos,
  TestDefinition,
} from '@warden/sdk';

/**
 * The typed model every front-end (monitrc, pmtr.conf) produces and the engine runs.
 * Every node carries `pos` (`file:line`) so later errors can point at the text.
 */
export interface ControlModel {
  /** The control file the model was read from (absolute path). */
  readonly file: string;
  readonly globals: Globals;
  /** The language it was written in (monitrc when absent). */
  readonly format?: 'monitrc' | 'pmtr';
  /** In declaration order (include globs expanded). */
  readonly services: ServiceModel[];
  /** Non-fatal problems: a missing include, a second `every`. */
  readonly warnings: Diagnostic[];
}

/** A message tied to a place in the control file. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Where the daemon logs: a file, syslog, or standard error (`-I` without `set log`). */
export type LogTarget =
  | { readonly kind: 'file'; readonly path: string; readonly format?: 'text' | 'json' }
  | { readonly kind: 'syslog'; readonly facility: string; readonly format?: 'text' | 'json' }
  | { readonly kind: 'stderr' };

/** `set …` statements the foundation understands; later issues add fields. */
export interface Globals {
  /** `set daemon N [with start delay N]`, in seconds. Absent: check once and exit. */
  daemon?: { readonly interval: number; readonly startDelay: number; readonly pos: SourcePos };
  log?: LogTarget;
  pidfile?: string;
  statefile?: string;
  idfile?: string;
  /** `load "<package or path>"` statements, in order. */
  readonly loads: LoadStatement[];
  httpd?: HttpdSettings;
  /** Global `set alert ADDR …` recipients (delivered by the mailer plugin, later issues). */
  readonly alerts: AlertRecipient[];
  /** Bound on services checked at once (warden extension: `set limits { concurrency: N }`). */
  concurrency?: number;
  /** `set init`: stay in the foreground, like `-I` (A3). */
  init?: boolean;
  /** `set terminal batch`: plain CLI tables, like `-B` (A4). */
  terminalBatch?: boolean;
  /** `set fips` (A30): accepted; Node decides FIPS mode at start-up. */
  fips?: boolean;
  /** `set ssl { … }` (A29): TLS defaults for every client and server. */
  ssl?: SslDefaults;
  /** `set limits { … }` and `set expectbuffer` (A31, A32): Monit's buffer sizes (bytes) and timeouts (ms). */
  limits?: Limits;
  /** `set onreboot start|nostart|laststate` (A33): the default of every service. */
  onreboot?: 'start' | 'nostart' | 'laststate';
  /** `set mmonit URL …` (A34): M/Monit collectors, in fail-over order. */
  mmonit?: MmonitTarget[];
  /**
   * Plugin settings (`set mailserver …`) by setting name: what the setting's `parse`
   * returned, or a list of those for a repeatable setting.
   */
  readonly settings: Record<string, unknown>;
}

/** `set httpd …` (reference A20–A28): where the HTTP interface listens and who may use it. */
export interface HttpdSettings {
  readonly port?: number;
  readonly address?: string;
  readonly unixsocket?: { readonly path: string; readonly uid?: number; readonly gid?: number; readonly permission?: number };
  /** The whole interface is read-only. */
  readonly readOnly: boolean;
  /** `allow HOST|IP|NET/bits|NET/mask` entries as written. */
  readonly allowHosts: readonly string[];
  /** `allow USER:PASSWORD [read-only]`, in order (the CLI uses the first). */
  readonly users: ReadonlyArray<{ readonly name: string; readonly password: string; readonly readOnly: boolean }>;
  /** `allow [cleartext|md5|crypt] /htpasswd [users]`. */
  readonly htpasswd: ReadonlyArray<{ readonly path: string; readonly hash: 'cleartext' | 'md5' | 'crypt'; readonly users: readonly string[]; readonly readOnly: boolean }>;
  /** `allow @group`: PAM groups, accepted but refused at run time (no PAM in warden). */
  readonly pamGroups: readonly string[];
  readonly ssl?: { readonly pemfile?: string; readonly pemchain?: string; readonly pemkey?: string; readonly clientpemfile?: string; readonly selfsigned?: boolean };
  /** `signature disable` hides the version in the Server header. */
  readonly signature: boolean;
  readonly pos: SourcePos;
}

/** `set ssl { … }` (reference A29). */
export interface SslDefaults {
  readonly verify?: boolean;
  readonly selfSigned?: boolean;
  /** As written: `auto`, `tlsv12`, `-sslv3` … */
  readonly versions?: readonly string[];
  readonly ciphers?: string;
  readonly pemfile?: string;
  readonly pemchain?: string;
  readonly pemkey?: string;
  readonly clientpemfile?: string;
  readonly cacertificatefile?: string;
  readonly cacertificatepath?: string;
}

/** Monit's `set limits` (A31): sizes in bytes, timeouts in milliseconds; absent = Monit's default. */
export interface Limits {
  readonly programOutput?: number;
  readonly sendExpectBuffer?: number;
  readonly fileContentBuffer?: number;
  readonly httpContentBuffer?: number;
  readonly networkTimeout?: number;
  readonly programTimeout?: number;
  readonly stopTimeout?: number;
  readonly startTimeout?: number;
  readonly restartTimeout?: number;
}

/** One `set mmonit URL [with timeout N s] [and register without credentials]` collector (A34). */
export interface MmonitTarget {
  readonly url: string;
  readonly timeoutMs?: number;
  /** False after `register without credentials`. */
  readonly registerCredentials: boolean;
  readonly pos: SourcePos;
}

/** `load "<package or path>"`. */
export interface LoadStatement {
  readonly spec: string;
  readonly pos: SourcePos;
}

/** `set alert ADDR [only on|but not on {…}] [with reminder on N cycles]` or a service's `alert ADDR …`. */
export interface AlertRecipient {
  readonly address: string;
  /** Event classes: `only` = deliver just these; `not` = all but these; absent = all. */
  readonly events?: { readonly mode: 'only' | 'not'; readonly classes: readonly EventClass[] };
  readonly reminder?: number;
  /** `with mail-format { … }`: this recipient's own format. */
  readonly mailFormat?: MailFormat;
  readonly pos: SourcePos;
}

/** Monit's monitoring modes (D17–D19). */
export type MonitorMode = 'active' | 'passive' | 'manual';

/** A `start|stop|restart program = "CMD" [as uid U and gid G] [with timeout N seconds]`. */
export interface ProgramSpec {
  readonly command: string;
  readonly argv: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
  readonly timeoutMs?: number;
  readonly pos: SourcePos;
}

/** When a service is checked (D11–D13): every cycle, every N cycles, or by cron. */
export type Schedule =
  | { readonly kind: 'always' }
  | { readonly kind: 'cycles'; readonly n: number }
  | { readonly kind: 'cron'; readonly expression: string; readonly negate: boolean };

/** One `check TYPE NAME …` block. */
export interface ServiceModel {
  readonly name: string;
  /** The service-type definition's name (`file`, `program`, …). */
  readonly typeName: string;
  /** The `-t --json` type. */
  readonly monitType: MonitType;
  readonly definition: ServiceTypeDefinition<unknown, unknown, unknown>;
  /** What the service type's `parseTarget` returned. */
  readonly target: unknown;
  readonly pos: SourcePos;
  groups: string[];
  depends: string[];
  schedule: Schedule;
  mode: MonitorMode;
  onreboot: 'start' | 'nostart' | 'laststate';
  start?: ProgramSpec;
  stop?: ProgramSpec;
  restart?: ProgramSpec;
  /** Per-service `alert ADDR` and `noalert ADDR`. */
  readonly alerts: AlertRecipient[];
  readonly noalerts: string[];
  /** User rules first, in order, then the type's implicit rules the user did not replace. */
  readonly rules: RuleModel[];
  readonly restartLimits: RestartLimit[];
  /**
   * `ignore [not] content|match …` (C30): lines every content test of the service skips,
   * as parsed by the content test (`options`); `not` ignores the lines that do not match.
   */
  readonly ignores?: ContentIgnore[];
}

/** One `ignore content|match` statement. */
export interface ContentIgnore {
  readonly test: TestDefinition<unknown, unknown>;
  readonly options: unknown;
  readonly not: boolean;
  readonly pos: SourcePos;
}

/** `N times within M cycles`; `for N cycles` is `{ times: N, cycles: N }`; default 1 of 1. */
export interface Rate {
  readonly times: number;
  readonly cycles: number;
}

/** An action to run, as parsed: a core action or a plugin's. */
export interface ActionSpec {
  /** `alert`, `restart`, `start`, `stop`, `monitor`, `unmonitor`, `timeout`, or a plugin action's name. */
  readonly name: string;
  /** The plugin definition for plugin actions (`exec`); absent for core actions. */
  readonly definition?: ActionDefinition<unknown>;
  readonly options?: unknown;
  /** `repeat every N cycles` (exec): run again while the failure lasts. */
  readonly repeat?: number;
  /** One line: `exec "/bin/x"`. */
  readonly describe: string;
  readonly pos: SourcePos;
}

/** One `if … then … [else …]` rule. */
export interface RuleModel {
  /** Stable within a service: index in `rules`. */
  readonly id: number;
  readonly pos: SourcePos;
  /** The test definition that parsed the rule's words. */
  readonly test: TestDefinition<unknown, unknown>;
  readonly polarity: Polarity;
  readonly options: unknown;
  readonly condition: Condition;
  readonly event: EventClass;
  /** The test as it reads: `status != 0`. */
  readonly describe: string;
  readonly rate: Rate;
  readonly action: ActionSpec;
  /** Recovery: `else [if succeeded [rate] then] ACTION`. Absent: the default alert on recovery. */
  readonly elseAction?: ActionSpec;
  readonly elseRate: Rate;
  /** Came from the service type's implicit rules, not the user's text. */
  readonly implicit: boolean;
}

/** `if N restart[s] within M cycle[s] then ACTION` (C61); `timeout` means unmonitor. */
export interface RestartLimit {
  readonly rate: Rate;
  readonly action: ActionSpec;
  readonly pos: SourcePos;
}
