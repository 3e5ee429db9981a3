import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { Clock, DigestSmallFile, Spawner, StatPath } from '@warden/sdk';
import type { LogTarget } from '../config/model.js';
import { readConfig, type LoadedConfig } from '../config/read-config.js';
import { createAlerts, type Alerts } from '../alerts/alerts.js';
import { Dispatcher } from '../engine/dispatch.js';
import { Engine } from '../engine/engine.js';
import type { WatchPaths } from '../fs/stat-path.js';
import { Scheduler } from '../engine/scheduler.js';
import type { EngineDeps } from '../engine/types.js';
import type { DaemonControl } from '../http/http-context.js';
import type { ExporterSources } from '../http/metrics.js';
import { HttpInterface } from '../http/server.js';
import type { DaemonLogger } from '../log/logger.js';
import { webRoot } from '../paths.js';
import type { MetricValues } from '../status/metric-values.js';
import type { StatusStore } from '../status/status-store.js';
import { VERSION } from '../version.js';
import { describeError } from './describe-error.js';
import { defaultPidfile } from './default-paths.js';
import { defaultIdFile, readOrCreateId } from './id-file.js';
import { releaseExecutablePages } from './executable-pages.js';
import { releaseYoungGeneration } from './young-generation.js';
import { acquirePidfile } from './pidfile.js';
import { loadExitWatcher } from './reaper.js';
import { applySavedState, defaultStateFile, readStateFile, StateStamp, stateOf, writeStateFile } from './state-file.js';

/** How the daemon was asked to run (command line over control file). */
export interface DaemonSettings {
  readonly controlFile: string;
  /** `-d N`: poll interval in seconds, over `set daemon`. */
  readonly intervalSeconds?: number;
  /** `-p FILE`. */
  readonly pidfile?: string;
  /** `-l FILE|syslog`. */
  readonly logTarget?: LogTarget;
  /** `--format monitrc|pmtr`: the control file's language, else detected from its content. */
  readonly format?: 'monitrc' | 'pmtr';
  /** `-s FILE`, over `set statefile`. */
  readonly statefile?: string;
}

/** One configuration running: replaced whole on reload. */
interface Running {
  readonly config: LoadedConfig;
  readonly engine: Engine;
  readonly scheduler: Scheduler;
  readonly intervalSeconds: number;
  readonly alerts: Alerts;
  /** What `/metrics` reads of this configuration. */
  readonly sources: ExporterSources;
  /** Its `/metrics` registries (text, OpenMetrics), built at the first scrape. */
  registries?: Promise<readonly [Registry, Registry]>;
}

/**
 * The daemon: runs the engine on a configuration, reloads it on HUP (a broken file keeps
 * the old one running), wakes on USR1, stops cleanly on TERM/INT, one per pid file.
 */
export class Daemon {
  private running: Running | undefined;
  private settings: DaemonSettings | undefined;
  private stopping: Promise<void> | undefined;
  /** The reload in progress, if any: reloads and the stop queue behind it. */
  private busy: Promise<void> = Promise.resolve();
  private finished: (() => void) | undefined;
  /**
   * Node's process metrics, collected once for every registry this daemon builds, from the
   * first scrape on: the exporter (prom-client, its event-loop monitor and GC observers) is
   * loaded only when `/metrics` is first asked for, so a daemon nobody scrapes pays nothing.
   */
  private processMetrics: Registry | undefined;
  private readonly handlers: Array<[NodeJS.Signals, () => void]> = [];
  private http: { readonly iface: HttpInterface; readonly settings: string } | undefined;
  private lastReloadOk = true;
  /** The state file's last written text. */
  private savedState = '';
  private readonly stateStamp = new StateStamp();
  private id = '';
  private readonly incarnation = Math.floor(Date.now() / 1000);

  constructor(
    private readonly log: DaemonLogger,
    private readonly spawner: Spawner,
    private readonly stat: StatPath,
    private readonly digestSmallFile: DigestSmallFile,
    private readonly clock: Clock,
    private readonly store: StatusStore,
    private readonly metrics: MetricValues,
    private readonly watchPaths: WatchPaths | false = false,
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
      const running = this.build(config, 1, await this.alertsFor(config, 1));
      await running.scheduler.runCycle();
      await running.engine.dispose();
      await running.alerts.delivery.stop(5000);
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
    this.id = readOrCreateId(config.model.globals.idfile ?? defaultIdFile());
    this.running = this.build(config, interval, await this.alertsFor(config, interval));
    applySavedState(this.running.engine, readStateFile(this.statePath(config)), config.model.file);
    try {
      await this.syncHttp(config);
    } catch (err) {
      this.log.error(`Cannot start the HTTP interface -- ${describeError(err)}`);
      await this.running.alerts.delivery.stop(0);
      pidfile.release();
      return 1;
    }
    const done = new Promise<void>((resolve) => (this.finished = resolve));
    // Before the 'Starting' line and the first cycle: their log lines may be what a supervisor
    // waits for before it signals (a SIGINT with no handler yet kills the process), and a USR1
    // with no handler would start Node's inspector instead.
    this.onSignal('SIGHUP', () => void this.reload());
    this.onSignal('SIGUSR1', () => {
      this.log.info('Awakened by User defined signal 1');
      this.running?.scheduler.wake();
    });
    this.onSignal('SIGTERM', () => void this.stop());
    this.onSignal('SIGINT', () => void this.stop());
    const where = this.http ? ` with http interface at ${this.http.iface.describe()}` : '';
    this.log.info(`Starting warden ${VERSION} daemon${where} (control file '${settings.controlFile}', poll ${interval} s, pid ${process.pid})`);
    this.running.scheduler.start();
    this.running.alerts.instance('started');
    await done;
    await this.http?.iface.close();
    pidfile.release();
    this.log.info(`warden daemon with pid [${process.pid}] stopped`);
    return 0;
  }

  /** The alert path of a configuration (instance events, mail, the event queue). */
  private alertsFor(config: LoadedConfig, intervalSeconds: number, carried?: Parameters<typeof createAlerts>[1]): Promise<Alerts> {
    const hostName = config.model.services.find((s) => s.monitType === 'system')?.name ?? hostname();
    return createAlerts({ model: config.model, host: config.host, log: this.log, clock: this.clock, hostName, intervalMs: intervalSeconds * 1000 }, carried);
  }

  private build(config: LoadedConfig, intervalSeconds: number, alerts: Alerts, previous?: Engine): Running {
    const deps: EngineDeps = {
      clock: this.clock,
      log: this.log,
      spawner: this.spawner,
      stat: this.stat,
      digestSmallFile: this.digestSmallFile,
      ...(this.watchPaths ? { watchPaths: this.watchPaths } : {}),
      metricsFor: (service, type) => this.metrics.sinkFor(service, type),
      hostName: config.model.services.find((s) => s.monitType === 'system')?.name ?? hostname(),
      settings: config.model.globals.settings,
    };
    const engine = new Engine(config.model, deps, this.store, previous);
    const dispatcher = new Dispatcher(engine, deps, this.store, alerts.router);
    const daemon = config.model.globals.daemon;
    const scheduler = new Scheduler(engine, dispatcher, deps, this.store, {
      intervalMs: intervalSeconds * 1000,
      startDelayMs: (daemon?.startDelay ?? 0) * 1000,
      concurrency: config.model.globals.concurrency ?? 8,
      onCycle: () => {
        this.saveState(engine, config);
        // Starting (or reloading) is over once a configuration's first cycle has run.
        if (engine.cycle === 1) this.releaseStartupMemory();
      },
      watchExit: loadExitWatcher(),
    });
    this.metrics.retainServices(new Set(config.model.services.map((s) => s.name)));
    const sources = {
      store: this.store,
      values: this.metrics,
      version: VERSION,
      declared: config.host.loaded.flatMap((p) => p.definitions.flatMap((d) => (d.kind === 'test' ? (d.metrics ?? []) : []))),
      lastReloadOk: () => this.lastReloadOk,
    };
    return { config, engine, scheduler, intervalSeconds, alerts, sources };
  }

  /** The running configuration's `/metrics` registry, the exporter loaded at the first call. */
  private registry(running: Running, openMetrics: boolean): Promise<Registry> {
    running.registries ??= import('../http/metrics.js').then(({ createProcessMetrics, createRegistry }) => {
      const processMetrics = (this.processMetrics ??= createProcessMetrics());
      return [createRegistry(running.sources, false, processMetrics), createRegistry(running.sources, true, processMetrics)] as const;
    });
    return running.registries.then((r) => r[openMetrics ? 1 : 0]);
  }

  /**
   * What only parsing and starting needed stops counting in RSS: the executable's pages (see
   * {@link releaseExecutablePages}); and V8 may grow its young generation again (see
   * {@link releaseYoungGeneration}).
   */
  private releaseStartupMemory(): void {
    releaseYoungGeneration();
    const bytes = releaseExecutablePages();
    if (bytes !== undefined) this.log.debug(`returned ${(bytes / 1048576).toFixed(1)} MB of the node executable's start-up pages to the page cache`);
  }

  /** `-s FILE`, `set statefile`, or `~/.warden.state`. */
  private statePath(config: LoadedConfig): string {
    return this.settings?.statefile ?? config.model.globals.statefile ?? defaultStateFile();
  }

  /** Write the monitoring states when they changed since the last write (temp file + rename). */
  private saveState(engine: Engine, config: LoadedConfig): void {
    if (!this.stateStamp.moved(engine)) return;
    const text = JSON.stringify(stateOf(engine, config.model.file));
    if (text === this.savedState) return;
    if (writeStateFile(this.statePath(config), text)) {
      this.savedState = text;
    } else {
      this.stateStamp.forget();
      this.log.error(`cannot write the state file '${this.statePath(config)}'`);
    }
  }

  /** Start, keep or restart the HTTP interface to match the configuration's `set httpd`. */
  private async syncHttp(config: LoadedConfig): Promise<void> {
    const httpd = config.model.globals.httpd;
    const key = httpd ? JSON.stringify({ ...httpd, pos: undefined }) : '';
    if (this.http && this.http.settings === key) return;
    await this.http?.iface.close();
    this.http = undefined;
    if (!httpd) return;
    const iface = await HttpInterface.start(httpd, {
      version: VERSION,
      log: this.log,
      store: this.store,
      registry: (open) => this.registry(this.running!, open),
      control: this.control(),
      webRoot,
    });
    this.http = { iface, settings: key };
  }

  /** What the HTTP interface may do to the running configuration. */
  private control(): DaemonControl {
    return {
      serverInfo: () => {
        const r = this.running!;
        const httpd = r.config.model.globals.httpd;
        return {
          id: this.id, incarnation: this.incarnation, version: VERSION,
          uptimeSeconds: Math.floor((Date.now() - this.store.startedAt) / 1000),
          poll: r.intervalSeconds, startDelay: r.config.model.globals.daemon?.startDelay ?? 0,
          localhostname: hostname(), controlfile: this.settings?.controlFile ?? '',
          ...(httpd?.port !== undefined ? { httpd: { address: httpd.address ?? '*', port: this.http?.iface.port ?? httpd.port, ssl: !!httpd.ssl } } : {}),
        };
      },
      userAction: (action, name) => {
        const r = this.running;
        const rt = r?.engine.services.get(name);
        if (!r || !rt) return false;
        const log = this.log.child(name);
        log.info(`${action} on user request`);
        void (async () => {
          if (action === 'start') await r.engine.start(rt);
          else if (action === 'stop') await r.engine.stop(rt);
          else if (action === 'restart') await r.engine.restart(rt);
          else if (action === 'monitor') r.engine.monitor(rt);
          else r.engine.unmonitor(rt);
          log.info(`${action} action done`);
          // Monit mails every user action as an `Action done` event.
          r.alerts.router.event(rt.model, {
            type: 'action', state: 'changed', text: 'Action done', description: `${action} action done`,
            service: name, date: this.clock.now(), action,
          });
          r.scheduler.wake();
        })();
        return true;
      },
      serviceDetail: (name) => {
        const rt = this.running?.engine.services.get(name);
        if (!rt) return undefined;
        return {
          rules: rt.model.rules.map((r) => ({ describe: r.describe, action: r.action.describe, line: r.pos.line })),
          events: this.store.events(name).slice(-50),
        };
      },
    };
  }

  private applyLogTarget(config: LoadedConfig): void {
    const target = this.settings?.logTarget ?? config.model.globals.log;
    if (target) this.log.setTarget(target);
  }

  /**
   * Re-read the control file; keep the running configuration when the new one is broken.
   * Reloads and the stop run one at a time: a HUP during a reload waits for it, and a stop
   * waits for a reload in progress, so no configuration is left running after a stop.
   */
  reload(): Promise<boolean> {
    const next = this.busy.then(() => this.reloadNow());
    this.busy = next.then(() => undefined, () => undefined);
    return next;
  }

  private async reloadNow(): Promise<boolean> {
    const settings = this.settings;
    if (!settings || !this.running || this.stopping) return false;
    this.log.info(`Reinitializing warden -- control file '${settings.controlFile}'`);
    let config: LoadedConfig;
    try {
      config = await readConfig(settings.controlFile, undefined, settings.format);
    } catch (err) {
      this.log.error(`Reload failed, keeping the running configuration -- ${describeError(err)}`);
      this.lastReloadOk = false;
      return false;
    }
    this.lastReloadOk = true;
    const old = this.running;
    await old.scheduler.stop();
    this.log.reopen();
    this.applyLogTarget(config);
    const interval = settings.intervalSeconds ?? config.model.globals.daemon?.interval ?? old.config.model.globals.daemon?.interval ?? 30;
    // Deliveries under way may finish; alerts kept only in memory move to the new configuration.
    const carried = await old.alerts.delivery.stop(1000);
    // Unchanged services adopt the old state (a supervised job keeps running); the rest go.
    this.running = this.build(config, interval, await this.alertsFor(config, interval, carried), old.engine);
    await old.engine.dispose();
    applySavedState(this.running.engine, readStateFile(this.statePath(config)), config.model.file);
    try {
      await this.syncHttp(config);
    } catch (err) {
      this.log.error(`Cannot start the HTTP interface -- ${describeError(err)}`);
    }
    this.running.scheduler.start();
    this.log.info('warden reloaded');
    this.running.alerts.instance('reloaded');
    return true;
  }

  /** Stop the checks in flight, release what services hold, and end `run`. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.busy;
      this.log.info('Shutting down warden');
      for (const [sig, fn] of this.handlers) process.off(sig, fn);
      if (this.running) {
        await this.running.scheduler.stop();
        this.saveState(this.running.engine, this.running.config);
        await this.running.engine.dispose();
        this.running.alerts.instance('stopped');
        // Deliver what is under way or queued, bounded; the event queue keeps the rest.
        await this.running.alerts.delivery.stop(5000);
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
