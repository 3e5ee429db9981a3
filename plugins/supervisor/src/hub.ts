import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { basename, dirname } from 'node:path';
import type { Logger } from '@warden/sdk';
import { debouncedWatch } from './depends.js';
import { phaseOf, type JobState } from './job-state.js';
import { formatReport, parseControl } from './udp.js';
import type { UdpEndpoint } from './udp.js';

/** Setting names, shared by `set report`/`set listen` (monitrc) and the pmtr front-end. */
export const REPORT_SETTING = 'supervisor.report';
export const LISTEN_SETTING = 'supervisor.listen';
/** The pmtr front-end puts the path of pmtr.conf here: edits to it reload warden (SIGHUP). */
export const WATCH_SETTING = 'supervisor.watch';
/** pmtr reports every 10 s. */
export const REPORT_INTERVAL_MS = 10_000;

const HUB_KEY = Symbol.for('warden.supervisor.hub');

/** What the hub asks of the job runner. */
export interface HubActions {
  start(s: JobState): void;
  stop(s: JobState): Promise<void>;
}

/**
 * What the jobs of one configuration share: their start order (for `wait`), the UDP
 * report and control sockets, and the watch on pmtr.conf. It hangs off that
 * configuration's settings object (never module state), so a reload builds a new one;
 * the old one closes when its last job has left it.
 */
export class Hub {
  private readonly jobs: JobState[] = [];
  private readonly reports: Array<{ socket: Socket; header: string }> = [];
  private listener: Socket | undefined;
  private timers: NodeJS.Timeout[] = [];
  private unwatch: (() => void) | undefined;
  private closed = false;

  constructor(private readonly settings: Readonly<Record<string, unknown>>, private readonly log: Logger, private readonly actions: HubActions) {
    const report = settings[REPORT_SETTING];
    for (const ep of (Array.isArray(report) ? report : report ? [report] : []) as UdpEndpoint[]) this.openReport(ep);
    if (this.reports.length > 0) {
      this.timers.push(setTimeout(() => this.sendReport(), 200), setInterval(() => this.sendReport(), REPORT_INTERVAL_MS));
    }
    const listen = settings[LISTEN_SETTING] as UdpEndpoint | undefined;
    if (listen) this.openListener(listen, 0);
    const watchFile = settings[WATCH_SETTING];
    if (typeof watchFile === 'string') this.watchConfig(watchFile);
    for (const t of this.timers) t.unref();
  }

  /** The hub of these settings, made on first use. */
  static of(settings: Readonly<Record<string, unknown>>, log: Logger, actions: HubActions): Hub {
    const holder = settings as Record<symbol, Hub | undefined>;
    let hub = holder[HUB_KEY];
    if (!hub || hub.closed) {
      hub = new Hub(settings, log, actions);
      holder[HUB_KEY] = hub;
    }
    return hub;
  }

  register(s: JobState): void {
    if (s.hub === this) return;
    s.hub?.unregister(s);
    s.hub = this;
    this.jobs.push(s);
  }

  unregister(s: JobState): void {
    const i = this.jobs.indexOf(s);
    if (i >= 0) this.jobs.splice(i, 1);
    if (s.hub === this) s.hub = undefined;
    if (this.jobs.length === 0) this.close();
  }

  /** True while an earlier job (in start order) is a `wait` job whose first run has not ended. */
  gatedBy(s: JobState): boolean {
    for (const j of this.jobs) {
      if (j === s) return false;
      if (j.waitPending && !j.retired) return true;
    }
    return false;
  }

  /** A `wait` job finished: start what it held back, in order. */
  released(): void {
    for (const j of this.jobs) if (j.gated) this.actions.start(j);
  }

  private openReport(ep: UdpEndpoint): void {
    const socket = createSocket('udp4');
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // Nobody listening yet: pmtr ignores ECONNREFUSED too.
      if (err.code !== 'ECONNREFUSED') this.log.error(`can't send report to udp://${ep.host}:${ep.port}: ${err.message}`);
    });
    let header = `report ${hostname()}`;
    if (ep.iface) {
      const addr = networkInterfaces()[ep.iface]?.find((a) => a.family === 'IPv4')?.address;
      if (!addr) this.log.error(`${ep.iface} does not multicast`);
      else {
        header += ` ${addr}`;
        socket.once('listening', () => socket.setMulticastInterface(addr));
      }
    }
    socket.connect(ep.port, ep.host);
    socket.unref();
    this.reports.push({ socket, header });
  }

  /** One datagram in pmtr's format to every `report to` address; refused sends are ignored. */
  sendReport(): void {
    const now = Date.now();
    for (const r of this.reports) {
      const text = formatReport(r.header, this.jobs.map((j) => ({
        name: j.options.name,
        disabled: j.options.disabled || j.udpDisabled || j.depMissing,
        shown: !j.done,
        startedAt: j.startedAt,
        pid: j.proc?.pid,
        argv0: j.options.argv[0],
      })), now);
      try {
        r.socket.send(text, () => undefined);
      } catch {
        // not connected yet (a name still resolving): the next report goes out
      }
    }
  }

  private openListener(ep: UdpEndpoint, attempt: number): void {
    const socket = createSocket('udp4');
    socket.on('message', (msg) => this.control(msg.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      if (this.listener === socket) this.listener = undefined;
      // The configuration being replaced may still hold the port for a moment.
      if (err.code === 'EADDRINUSE' && attempt < 50 && !this.closed) {
        const t = setTimeout(() => this.openListener(ep, attempt + 1), 100);
        t.unref();
        this.timers.push(t);
      } else {
        this.log.error(`can't bind to udp://${ep.host}:${ep.port}: ${err.message}`);
      }
    });
    socket.bind(ep.port, ep.host);
    socket.unref();
    this.listener = socket;
  }

  /** `enable NAME …` / `disable NAME …` (pmtr's control datagram). */
  control(text: string): void {
    this.log.debug(`received [${text.replace(/[\x00-\x1f\x7f]/g, '?')}]`);
    const parsed = parseControl(text);
    if (parsed === undefined) {
      this.log.error('invalid control msg');
      return;
    }
    for (const { verb, name } of parsed) {
      const jobs = this.jobs.filter((j) => j.options.name === name);
      if (jobs.length === 0) this.log.info(`control msg for unknown job ${name}`);
      for (const j of jobs) {
        const log = j.env?.log ?? this.log;
        if (verb === 'disable' && !j.udpDisabled) {
          j.udpDisabled = true;
          log.info(`disabling ${name}`);
          void this.actions.stop(j);
        } else if (verb === 'enable' && j.udpDisabled) {
          j.udpDisabled = false;
          log.info(`enabling ${name}`);
          this.actions.start(j);
        }
      }
    }
    if (this.reports.length > 0) {
      const t = setTimeout(() => this.sendReport(), 1000);
      t.unref();
      this.timers.push(t);
    }
  }

  /** Edits of pmtr.conf (in place or by rename) reload warden, as pmtr's SIGHUP does. */
  private watchConfig(file: string): void {
    let last = readOr(file);
    this.unwatch = debouncedWatch(new Map([[dirname(file), new Set([basename(file)])]]), () => {
      const now = readOr(file);
      if (now === last || this.closed) return;
      last = now;
      this.log.info(`${file} changed -- rescanning job configuration`);
      process.kill(process.pid, 'SIGHUP');
    });
  }

  /** Jobs in this hub and their phases (tests, status). */
  summary(): string[] {
    return this.jobs.map((j) => `${j.options.name}:${phaseOf(j)}`);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    for (const r of this.reports) r.socket.close();
    this.listener?.close();
    this.listener = undefined;
    this.unwatch?.();
    const holder = this.settings as Record<symbol, Hub | undefined>;
    if (holder[HUB_KEY] === this) holder[HUB_KEY] = undefined;
  }
}

function readOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
