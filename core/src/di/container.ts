import 'reflect-metadata';
import { container as root, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { Daemon } from '../daemon/daemon.js';
import { systemClock } from '../engine/runner.js';
import { ProcessSpawner } from '../exec/spawner.js';
import { loadDigestSmallFile, loadStatPath, loadWatchPaths } from '../fs/stat-path.js';
import { DaemonLogger } from '../log/logger.js';
import { MetricValues } from '../status/metric-values.js';
import { StatusStore } from '../status/status-store.js';
import { Tokens } from './tokens.js';

/**
 * The composition root: the one place that knows which class implements each token.
 * Classes elsewhere take plain constructor parameters; each is built here by a factory
 * that resolves its dependencies by token (singletons per container).
 * Tests make a container and override tokens with `register` before resolving.
 */
export function createContainer(): DependencyContainer {
  const c = root.createChildContainer();
  c.register(Tokens.Clock, { useValue: systemClock });
  c.register(Tokens.Logger, { useFactory: instanceCachingFactory(() => new DaemonLogger()) });
  c.register(Tokens.Spawner, { useFactory: instanceCachingFactory(() => new ProcessSpawner()) });
  c.register(Tokens.StatPath, { useFactory: instanceCachingFactory(() => loadStatPath()) });
  c.register(Tokens.DigestSmallFile, { useFactory: instanceCachingFactory(() => loadDigestSmallFile()) });
  c.register(Tokens.WatchPaths, { useFactory: instanceCachingFactory(() => loadWatchPaths() ?? false) });
  c.register(Tokens.StatusStore, { useFactory: instanceCachingFactory(() => new StatusStore()) });
  c.register(Tokens.MetricValues, { useFactory: instanceCachingFactory(() => new MetricValues()) });
  c.register(Tokens.Daemon, {
    useFactory: instanceCachingFactory(
      (d) =>
        new Daemon(
          d.resolve(Tokens.Logger),
          d.resolve(Tokens.Spawner),
          d.resolve(Tokens.StatPath),
          d.resolve(Tokens.DigestSmallFile),
          d.resolve(Tokens.Clock),
          d.resolve(Tokens.StatusStore),
          d.resolve(Tokens.MetricValues),
          d.resolve(Tokens.WatchPaths),
        ),
    ),
  });
  return c;
}
