/**
 * Shared by the engine's own tests: real dependencies (clock, spawner, metrics) and a
 * logger that keeps its lines. Not used by the daemon.
 */
import type { Logger } from '@warden/sdk';
import type { ControlModel } from '../config/model.js';
import { ProcessSpawner } from '../exec/spawner.js';
import { loadDigestSmallFile, loadStatPath } from '../fs/stat-path.js';
import { MetricValues } from '../status/metric-values.js';
import { StatusStore } from '../status/status-store.js';
import { Dispatcher } from './dispatch.js';
import { Engine } from './engine.js';
import { systemClock } from './runner.js';
import type { EngineDeps, RootLogger } from './types.js';

/** A root logger whose lines read `level 'service' message`. */
export class LinesLogger implements RootLogger {
  readonly lines: string[] = [];
  error = (m: string) => void this.lines.push(`error ${m}`);
  warning = (m: string) => void this.lines.push(`warning ${m}`);
  info = (m: string) => void this.lines.push(`info ${m}`);
  debug = (m: string) => void this.lines.push(`debug ${m}`);
  child(service: string): Logger {
    const at = (level: string) => (m: string) => void this.lines.push(`${level} '${service}' ${m}`);
    return { error: at('error'), warning: at('warning'), info: at('info'), debug: at('debug') };
  }
}

/** An engine over `model` with real dependencies, its dispatcher, store and log. */
export function testEngine(model: ControlModel, settings: Record<string, unknown> = {}) {
  const log = new LinesLogger();
  const metrics = new MetricValues();
  const deps: EngineDeps = {
    clock: systemClock,
    log,
    spawner: new ProcessSpawner({ killGraceMs: 200, drainMs: 50 }),
    stat: loadStatPath(),
    digestSmallFile: loadDigestSmallFile(),
    metricsFor: (service, type) => metrics.sinkFor(service, type),
    hostName: 'testhost',
    settings,
  };
  const store = new StatusStore();
  const engine = new Engine(model, deps, store);
  const dispatcher = new Dispatcher(engine, deps, store);
  return { engine, dispatcher, deps, store, log, metrics };
}
