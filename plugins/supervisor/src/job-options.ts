/**
 * The target of a `job` service: what a front-end (pmtr.conf or `check job`) builds and
 * the supervisor runs. Plain data, compared deep-equal on reload to tell an unchanged job
 * (kept running) from a changed one (restarted).
 */
export interface JobOptions {
  /** The job's name (pmtr's identity for reload and UDP control). */
  readonly name: string;
  /** `cmd`: argv as given, no shell; a relative `argv[0]` resolves against `dir`. Empty: no `cmd`. */
  readonly argv: readonly string[];
  /** `dir`: working directory, also the base of relative `out`/`err`/`in`/`depends`. */
  readonly dir?: string;
  /** `out`/`err`: files to append to; absent (or `syslog`): the daemon's log. */
  readonly out?: string;
  readonly err?: string;
  /** `in`: stdin file; absent: `/dev/null`. */
  readonly in?: string;
  /** `env VAR=VALUE` in order, on top of the daemon's environment (last wins). */
  readonly env: readonly string[];
  /** `user`: a user name (or numeric uid); uid, gid and supplementary groups are switched. */
  readonly user?: string;
  /** A group id instead of the user's primary group (`check job … gid G`). */
  readonly gid?: number;
  /** `ulimit`: prlimit resource names (`nofile`), soft = hard, in order. */
  readonly ulimits: readonly JobLimit[];
  /** `depends { … }`: files whose content change restarts the job. */
  readonly depends: readonly string[];
  /** `bounce every N`: restart after this long up. */
  readonly bounceMs?: number;
  readonly disabled: boolean;
  /** Start it before the jobs after it (in order) and let those wait for its first run to end. */
  readonly wait: boolean;
  /** Never restart once it exited. */
  readonly once: boolean;
  /** Start order, ascending; equal orders keep file order. */
  readonly order: number;
  /** Absolute nice value. */
  readonly nice?: number;
  /** CPU list for `taskset -c` (`0,2-4`). */
  readonly cpu?: string;
  /** Between SIGTERM and SIGKILL when warden stops the job (default 10 s). */
  readonly graceMs?: number;
}

/** One resource limit: prlimit's long option name and the value (`unlimited` or a number). */
export interface JobLimit {
  readonly resource: string;
  readonly value: number | 'unlimited';
}

/** Exit status that means "never restart me" (pmtr's PMTR_NO_RESTART). */
export const NO_RESTART_STATUS = 33;
/** A job that ran less than this is restarted only after {@link BACKOFF_MS}. */
export const MIN_UPTIME_MS = 10_000;
export const BACKOFF_MS = 10_000;
export const DEFAULT_GRACE_MS = 10_000;

/** pmtr's ulimit flags and `RLIMIT_*` names → prlimit's option names. */
export const ULIMIT_RESOURCES: Readonly<Record<string, string>> = {
  '-c': 'core', '-d': 'data', '-e': 'nice', '-f': 'fsize', '-i': 'sigpending', '-l': 'memlock',
  '-m': 'rss', '-n': 'nofile', '-q': 'msgqueue', '-r': 'rtprio', '-s': 'stack', '-t': 'cpu',
  '-u': 'nproc', '-v': 'as',
  RLIMIT_CORE: 'core', RLIMIT_DATA: 'data', RLIMIT_NICE: 'nice', RLIMIT_FSIZE: 'fsize',
  RLIMIT_SIGPENDING: 'sigpending', RLIMIT_MEMLOCK: 'memlock', RLIMIT_RSS: 'rss', RLIMIT_NOFILE: 'nofile',
  RLIMIT_MSGQUEUE: 'msgqueue', RLIMIT_RTPRIO: 'rtprio', RLIMIT_STACK: 'stack', RLIMIT_CPU: 'cpu',
  RLIMIT_NPROC: 'nproc', RLIMIT_AS: 'as',
};
