import { hostname } from 'node:os';
import type { Clock, Spawner } from '@warden/sdk';
import type { LogTarget } from '../config/model.js';
import { readConfig, type LoadedConfig } from '../config/read-config.js';
import { Dispatcher } from '../engine/dispatch.js';
import { Engine } from '../engine/engine.js';
import { Scheduler } from '../engine/scheduler.js';
import type { EngineDeps } from '../engine/types.js';
import type { DaemonLogger } from '../log/logger.js';
import type { MetricValues } from '../status/metric-values.js';
import type { StatusStore } from '../status/status-store.js';
import { VERSION } from '../version.js';
import { describeError } from './describe-error.js';
import { defaultPidfile } from './default-paths.js';
import { acquirePidfile } from './pidfile.js';

/** How the daemon was asked to run (command line over control file). */
export interface DaemonSettings {
  readonly controlFile: string;
  /** `-d N`: poll interval in seconds, over `set daemon`. */
  readonly intervalSeconds?: number;
  /** `-p FILE`. */
  readonly pidfile?: string;
  /** `-l FILE|syslog`. */
  readonly logTarget?: LogTarget;
}

/** One configuration running: replaced whole on reload. */
interface Running {
  readonly config: LoadedConfig;
  readonly engine: Engine;
  readonly scheduler: Scheduler;
}

/**
 * The daemon: runs the engine on a configuration, reloads it on HUP (a broken file keeps
 * the old one running), wakes on USR1, stops cleanly on TERM/INT, one per pid file.
 */
export class Daemon {
  private running: Running | undefined;
  private settings: DaemonSettings | undefined;
  private stopping: Promise<void> | undefined;
  private finished: (() => void) | undefined;
  private readonly handlers: Array<[NodeJS.Signals, () => void]> = [];

  constructor(
    private readonly log: DaemonLogger,
    private readonly spawner: Spawner,
    private readonly clock: Clock,
    private readonly store: StatusStore,
    private readonly metrics: MetricValues,
  ) {}

  /**
   * Run until stopped. With no poll interval (`set daemon` or `-d`), check every service
   * once and return, as Monit does. Resolves with the exit code.
   */
  async run(settings: DaemonSettings, config: LoadedConfig): Promise<number> {
    this.settings = settings;
    this.applyLogTarget(config);
    const interval = settings.intervalSeconds ?? config.model.globals.daemon?.interval;
    if (interval === undefined) {
      const running = this.build(config, 1);
      await running.scheduler.runCycle();
      await running.engine.dispose();
      return 0;
    }
    const pidPath = settings.pidfile ?? config.model.globals.pidfile ?? defaultPidfile();
    let pidfile;
    try {
      pidfile = acquirePidfile(pidPath);
    } catch (err) {
      this.log.error(describeError(err));
      return 1;
    }
    this.log.info(`Starting warden ${VERSION} daemon (control file '${settings.controlFile}', poll ${interval} s, pid ${process.pid})`);
    this.running = this.build(config, interval);
    this.running.scheduler.start();
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    this.onSignal('SIGHUP', () => void this.reload());
    this.onSignal('SIGUSR1', () => {
      this.log.info('Awakened by User defined signal 1');
      this.running?.scheduler.wake();
    });
    this.onSignal('SIGTERM', () => void this.stop());
    this.onSignal('SIGINT', () => void this.stop());
    await done;
    pidfile.release();
    this.log.info(`warden daemon with pid [${process.pid}] stopped`);
    return 0;
  }

  private build(config: LoadedConfig, intervalSeconds: number): Running {
    const deps: EngineDeps = {
      clock: this.clock,
      log: this.log,
      spawner: this.spawner,
      metricsFor: (service, type) => this.metrics.sinkFor(service, type),
      hostName: config.model.services.find((s) => s.monitType === 'system')?.name ?? hostname(),
      settings: config.model.globals.settings,
    };
    const engine = new Engine(config.model, deps, this.store);
    const dispatcher = new Dispatcher(engine, deps, this.store);
    const daemon = config.model.globals.daemon;
    const scheduler = new Scheduler(engine, dispatcher, deps, this.store, {
      intervalMs: intervalSeconds * 1000,
      startDelayMs: (daemon?.startDelay ?? 0) * 1000,
      concurrency: config.model.globals.concurrency ?? 8,
    });
    this.metrics.retainServices(new Set(config.model.services.map((s) => s.name)));
    return { config, engine, scheduler };
  }

  private applyLogTarget(config: LoadedConfig): void {
    const target = this.settings?.logTarget ?? config.model.globals.log;
    if (target) this.log.setTarget(target);
  }

  /** Re-read the control file; keep the running configuration when the new one is broken. */
  async reload(): Promise<boolean> {
    const settings = this.settings;
    if (!settings || !this.running || this.stopping) return false;
    this.log.info(`Reinitializing warden -- control file '${settings.controlFile}'`);
    let config: LoadedConfig;
    try {
      config = await readConfig(settings.controlFile);
    } catch (err) {
      this.log.error(`Reload failed, keeping the running configuration -- ${describeError(err)}`);
      return false;
    }
    const old = this.running;
    await old.scheduler.stop();
    await old.engine.dispose();
    this.log.reopen();
    this.applyLogTarget(config);
    const interval = settings.intervalSeconds ?? config.model.globals.daemon?.interval ?? old.config.model.globals.daemon?.interval ?? 30;
    this.running = this.build(config, interval);
    this.running.scheduler.start();
    this.log.info('warden reloaded');
    return true;
  }

  /** Stop the checks in flight, release what services hold, and end `run`. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.log.info('Shutting down warden');
      for (const [sig, fn] of this.handlers) process.off(sig, fn);
      if (this.running) {
        await this.running.scheduler.stop();
        await this.running.engine.dispose();
      }
      this.finished?.();
    })();
    return this.stopping;
  }

  private onSignal(sig: NodeJS.Signals, fn: () => void): void {
    process.on(sig, fn);
    this.handlers.push([sig, fn]);
  }
}
