/**
 * Log through the injected logger, never `console`. Core prefixes each line with the
 * service name (`'nginx' …`) and writes Monit's line format.
 */
export interface Logger {
  error(message: string): void;
  warning(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** Time as the runner sees it; a fake one in `@warden/sdk/testing`. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds, for measuring durations. */
  monotonic(): number;
}

/** A declared metric a plugin may set: its name must start with `warden_` or reuse an exporter name. */
export interface MetricDoc {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  /** Labels beyond `service` and `type`, which core adds; never unbounded values. */
  readonly labels?: readonly string[];
}

/** Where a probe sends metric values; core adds the `service` and `type` labels. */
export interface MetricsSink {
  set(name: string, value: number, labels?: Readonly<Record<string, string>>): void;
  inc(name: string, by?: number, labels?: Readonly<Record<string, string>>): void;
}

/** A program to run through core's audited spawn facility (no shell unless asked). */
export interface SpawnSpec {
  /** argv; `argv[0]` is resolved on PATH. */
  readonly argv: readonly string[];
  readonly uid?: number;
  readonly gid?: number;
  /** Added on top of the daemon's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Kill (TERM, then KILL) after this long. */
  readonly timeoutMs?: number;
  /** Kill when aborted. */
  readonly signal?: AbortSignal;
  /** Keep at most this many bytes of each output stream (default 512, Monit's programOutput). */
  readonly outputLimit?: number;
}

/** How a spawned program ended. */
export interface SpawnResult {
  readonly pid: number | undefined;
  /** Exit status, or null when it died of a signal or could not start. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stderr then stdout, as Monit shows program output. */
  readonly output: string;
  readonly timedOut: boolean;
  /** Set when the program could not be started (`ENOENT`, `EACCES`). */
  readonly spawnError?: string;
  readonly durationMs: number;
}

/** What {@link Spawner.start} takes: a spec plus files for the three standard streams. */
export interface StartSpec extends SpawnSpec {
  /** Append standard output to this file instead of keeping it. */
  readonly stdoutFile?: string;
  readonly stderrFile?: string;
  /** Read standard input from this file (else /dev/null). */
  readonly stdinFile?: string;
  /**
   * Each line of output not sent to a file, as it comes (control characters but TAB shown
   * as `?`, blank lines dropped), so a supervisor can log a job's output.
   */
  readonly onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
}

/** A long-running child started with {@link Spawner.start} (a supervised job). */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  /** Settles once when the process has exited and been reaped; never rejects. */
  readonly exited: Promise<SpawnResult>;
  /** Signal the process group; false when it is already gone. */
  kill(signal?: NodeJS.Signals): boolean;
}

/** Core's one place that starts programs (uid/gid, env, cwd, timeout, bounded output). */
export interface Spawner {
  /** Run a program to completion. Never rejects: failures are in the result. */
  run(spec: SpawnSpec): Promise<SpawnResult>;
  /**
   * Start a program and return at once (supervised jobs). `stdout`/`stderr` may name files
   * to append to; otherwise output is bounded as for `run`. Core's spawner always has it;
   * test doubles that only run programs may leave it out.
   */
  start?(spec: StartSpec): SpawnedProcess;
}

/**
 * The fields of `stat(2)` a plugin reads, named as Node's `fs.Stats` names them (a `Stats` is
 * one), times in milliseconds since the epoch as `Stats` computes them.
 */
export interface FileStat {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/**
 * `stat(2)` of a path, symlinks followed, as `fs.statSync(path, { throwIfNoEntry: false })`:
 * undefined when nothing is there (`ENOENT`); any other failure throws Node's own error
 * (`ENOTDIR: not a directory, stat '/x/y'`, with its `code`). Core's runs without
 * `fs.statSync`'s per-call objects (core/native/stat.c); `nodeStat` in this package is
 * the same through Node.
 */
export type StatPath = (path: string) => FileStat | undefined;

/** The digests a {@link DigestSmallFile} computes (Monit has the first two). */
export type DigestAlgorithm = 'md5' | 'sha1' | 'sha256';

/** The most bytes a {@link DigestSmallFile} reads whole; a larger file is streamed by the caller. */
export const SMALL_FILE_BYTES = 256 * 1024;

/**
 * The hex digest of a file of at most {@link SMALL_FILE_BYTES}, read whole in one go (a
 * configuration file, hashed every cycle by `checksum paranoid`); undefined when it holds
 * more (it grew since its stat: the caller streams it). `statSize`, the size its stat gave: a
 * read that stops short exactly there is taken as the end of the file, as Node's
 * `readFileSync` trusts the size. Opened non-blocking, so a fifo put in its place cannot hang
 * the daemon. Throws Node's own error (`EACCES`, `EISDIR`, with its `code`). Core's runs in
 * one native call (core/native/stat.c: open, read, close and OpenSSL's digest);
 * `nodeDigestSmallFile` in this package is the same through Node.
 */
export type DigestSmallFile = (path: string, algorithm: DigestAlgorithm, statSize?: number) => string | undefined;

/**
 * Work shared by every service in one cycle: the first caller computes, the others wait
 * for the same promise (one `/proc` scan per cycle for all process checks).
 */
export interface CycleContext {
  /** The cycle's number, from 1. */
  readonly number: number;
  memo<T>(key: string, compute: () => Promise<T> | T): Promise<T>;
  /**
   * {@link memo} for a value computed synchronously (a /proc file): the first caller computes,
   * the others get the same value, with no promise on the way. A throw is not kept.
   */
  memoSync<T>(key: string, compute: () => T): T;
}

/** Which service a plugin is working for. */
export interface ServiceInfo {
  readonly name: string;
  /** The service type name (`file`, `program`, `process`, …). */
  readonly type: string;
}

/**
 * A small key/value store of one rule that survives a restart of warden (saved in the state
 * file). Values must be plain JSON data (strings, numbers, booleans, arrays, objects).
 */
export interface PersistStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Everything a probe (a test's `run`) gets; nothing else reaches it. */
export interface ProbeContext<Options, Target = unknown> {
  readonly options: Options;
  /** What the service type observed this cycle (a stat, a pid, a program result). */
  readonly target: Target;
  readonly service: ServiceInfo;
  /** Aborted at the deadline or on shutdown: pass it to every I/O call. */
  readonly signal: AbortSignal;
  /** Milliseconds since the epoch by which the probe must be done. */
  readonly deadline: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: MetricsSink;
  readonly spawn: Spawner;
  /** `stat(2)`: cheaper than `fs.statSync` for what runs every cycle. */
  readonly stat: StatPath;
  /** The digest of a small file read whole: cheaper than Node's calls for what runs every cycle. */
  readonly digestSmallFile: DigestSmallFile;
  /** Scratch space kept for this rule across cycles (a file offset, a last value). */
  readonly state: Record<string, unknown>;
  /** Values kept across restarts of warden (a last digest); absent in a host that keeps none. */
  readonly persist?: PersistStore;
  readonly cycle: CycleContext;
  /** Values of global `set …` statements by setting name (see `defineSetting`). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** What a service type's `observe` gets once per cycle. */
export interface ObserveContext<Options, State> {
  readonly options: Options;
  readonly service: ServiceInfo;
  readonly signal: AbortSignal;
  readonly deadline: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly spawn: Spawner;
  /** `stat(2)`: cheaper than `fs.statSync` for what runs every cycle. */
  readonly stat: StatPath;
  /** The value `init` returned for this service, kept across cycles. */
  readonly state: State;
  readonly cycle: CycleContext;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** The event an action runs for (Monit's event, reference §F). */
export interface EventInfo {
  /** Event class, the alert-filter keyword (`nonexist`, `status`, `timeout`, …). */
  readonly type: string;
  readonly state: 'failed' | 'succeeded' | 'changed' | 'changednot';
  /** Monit's text for the class and state: `Does not exist`, `Status failed`. */
  readonly text: string;
  /** The detail: `process is not running`. */
  readonly description: string;
  readonly service: string;
  /** Milliseconds since the epoch. */
  readonly date: number;
  /** The action name (`alert`, `exec`, `restart`, …). */
  readonly action: string;
}

/** Everything an action gets. */
export interface ActionContext<Options> {
  readonly options: Options;
  readonly event: EventInfo;
  readonly service: ServiceInfo;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly log: Logger;
  readonly spawn: Spawner;
  /** MONIT_* and WARDEN_* variables for programs the action starts. */
  readonly env: Readonly<Record<string, string>>;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** A per-recipient mail format (`with mail-format { … }`): any subset of the four fields. */
export interface MailFormat {
  readonly from?: string;
  readonly replyTo?: string;
  readonly subject?: string;
  readonly message?: string;
}

/** One alert for one notifier (and, for mail, one recipient), as queued and delivered. */
export interface AlertMessage {
  /** Unique and ordered: `<epoch-ms>_<seq>`. */
  readonly id: string;
  /** The notifier's name (`mail`, `alertmanager`, `webhook`). */
  readonly notifier: string;
  readonly event: EventInfo;
  readonly recipient?: { readonly address: string; readonly mailFormat?: MailFormat };
  /** `$HOST`: the `check system` name, else the host name. */
  readonly host: string;
  /** When the alert was first raised (milliseconds since the epoch); kept across retries. */
  readonly firstDate: number;
  /** Set by a store when an earlier run stopped during its delivery: it may arrive twice. */
  readonly maybeSent?: boolean;
}

/** What a notifier's `deliver` gets. */
export interface NotifyContext {
  readonly alert: AlertMessage;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Aborted when warden stops: pass it to every I/O call. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly clock: Clock;
}

/** Undelivered alerts kept across crashes and reboots, oldest first. */
export interface EventStore {
  /** Keep `msg` durably; resolves with where it is (a path, for log lines). Throws when it cannot (full, unwritable). */
  add(msg: AlertMessage): Promise<string>;
  /** Every kept alert, oldest first. */
  list(): Promise<AlertMessage[]>;
  remove(id: string): Promise<void>;
  /** Where `id` is kept, for log lines. */
  where(id: string): string;
  /** Note that a delivery of `id` starts, so a crash before `remove` shows as `maybeSent`. */
  markSending?(id: string): Promise<void>;
}
