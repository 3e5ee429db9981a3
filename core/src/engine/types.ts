import type { Clock, DigestSmallFile, Logger, MetricsSink, Spawner, StatPath } from '@warden/sdk';
import type { WatchPaths } from '../fs/stat-path.js';

/** The daemon's logger as the engine needs it: service-prefixed children. */
export interface RootLogger extends Logger {
  /** A logger whose lines start with `'name' `. */
  child(service: string): Logger;
}

/** What the engine needs from the daemon around it. */
export interface EngineDeps {
  readonly clock: Clock;
  readonly log: RootLogger;
  readonly spawner: Spawner;
  /** stat(2) for plugins' contexts (core/src/fs/stat-path.ts). */
  readonly stat: StatPath;
  /** A small file's digest for plugins' contexts (core/src/fs/stat-path.ts). */
  readonly digestSmallFile: DigestSmallFile;
  /**
   * Batched stats of the paths of services whose type names one (`statPath`): a resting
   * service whose path did not move skips `observe`. Absent (no addon, tests): every check observes.
   */
  readonly watchPaths?: WatchPaths;
  /** Where a service's probes send metric values (adds the `service` and `type` labels). */
  metricsFor(service: string, type: string): MetricsSink;
  /** `$HOST` in events: the `check system` name, else the host name. */
  readonly hostName: string;
  /** Plugin settings from the control file (`set mailserver …`), by setting name. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Milliseconds a probe gets when its rule names no `timeout`. */
export const DEFAULT_PROBE_TIMEOUT_MS = 30_000;
/** Monit's startTimeout / stopTimeout / restartTimeout default (reference A31). */
export const DEFAULT_METHOD_TIMEOUT_MS = 30_000;
