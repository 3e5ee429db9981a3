import type { InjectionToken } from 'tsyringe';
import type { Clock, DigestSmallFile, Spawner, StatPath } from '@warden/sdk';
import type { Daemon } from '../daemon/daemon.js';
import type { WatchPaths } from '../fs/stat-path.js';
import type { DaemonLogger } from '../log/logger.js';
import type { MetricValues } from '../status/metric-values.js';
import type { StatusStore } from '../status/status-store.js';

/** Typed service identifiers: the composition root binds each to one implementation. */
export const Tokens = {
  Clock: Symbol('Clock') as InjectionToken<Clock>,
  Logger: Symbol('DaemonLogger') as InjectionToken<DaemonLogger>,
  Spawner: Symbol('Spawner') as InjectionToken<Spawner>,
  StatPath: Symbol('StatPath') as InjectionToken<StatPath>,
  DigestSmallFile: Symbol('DigestSmallFile') as InjectionToken<DigestSmallFile>,
  /** Batched stats of watched paths, or false without core's addon. */
  WatchPaths: Symbol('WatchPaths') as InjectionToken<WatchPaths | false>,
  StatusStore: Symbol('StatusStore') as InjectionToken<StatusStore>,
  MetricValues: Symbol('MetricValues') as InjectionToken<MetricValues>,
  Daemon: Symbol('Daemon') as InjectionToken<Daemon>,
} as const;
