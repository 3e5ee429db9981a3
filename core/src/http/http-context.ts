import type { Logger } from '@warden/sdk';
import type { Registry } from 'prom-client';
import type { EventRecord, StatusStore } from '../status/status-store.js';
import type { ServerInfo } from './status-xml.js';

/** The actions a user may ask for (Monit G17). */
export type UserAction = 'start' | 'stop' | 'restart' | 'monitor' | 'unmonitor';

/** What the interface may ask of the daemon. */
export interface DaemonControl {
  serverInfo(): ServerInfo;
  /** Run a user action asynchronously (logged `'x' ACTION on user request`); false for an unknown service. */
  userAction(action: UserAction, service: string): boolean;
  /** Rules and recent events of one service, for its page. */
  serviceDetail(name: string): { readonly rules: ReadonlyArray<{ describe: string; action: string; line: number }>; readonly events: readonly EventRecord[] } | undefined;
}

/** Everything the HTTP interface reads: the status store, never the probes. */
export interface HttpContext {
  readonly version: string;
  readonly log: Logger;
  readonly store: StatusStore;
  /** The `/metrics` registry for the text format, or for OpenMetrics. */
  readonly registry: (openMetrics: boolean) => Promise<Registry>;
  readonly control: DaemonControl;
  /** Folder of the web page's static files. */
  readonly webRoot: string;
}
