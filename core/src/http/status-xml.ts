import { arch, cpus, release, totalmem, version as osVersion } from 'node:os';
import type { ServiceStatus } from '../status/status-store.js';
import { XML_TYPES } from './format.js';

/** What the `<server>` element describes. */
export interface ServerInfo {
  readonly id: string;
  readonly incarnation: number;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly poll: number;
  readonly startDelay: number;
  readonly localhostname: string;
  readonly controlfile: string;
  readonly httpd?: { readonly address: string; readonly port: number; readonly ssl: boolean };
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

const el = (name: string, value: string | number) => `<${name}>${typeof value === 'number' ? value : esc(value)}</${name}>`;

/** `<monitor>`: 0 not monitored, 1 monitored, 2 initialising (reference H22). */
function monitorCode(s: ServiceStatus): number {
  return s.monitor === 'not monitored' ? 0 : s.monitor === 'monitored' ? 1 : 2;
}

/** Type-specific elements Monit's readers (Telegraf's monit input) look for. */
function typeElements(s: ServiceStatus): string {
  const o = s.observations;
  if ((s.type === 'file' || s.type === 'directory' || s.type === 'fifo' || s.type === 'filesystem') && o.mode !== undefined && o.mode !== null) {
    const times = o.accessTime !== undefined
      ? `<timestamps>${el('access', Number(o.accessTime))}${el('change', Number(o.changeTime))}${el('modify', Number(o.modifyTime))}</timestamps>`
      : '';
    const size = s.type === 'file' && typeof o.size === 'number' ? el('size', o.size) : '';
    return `${el('mode', String(o.mode))}${el('uid', Number(o.uid))}${el('gid', Number(o.gid))}${s.type === 'filesystem' ? '' : times}${size}`;
  }
  if (s.type === 'system' && o.load1 !== undefined) {
    const n = (k: string) => Number(o[k] ?? 0);
    const pct = (k: string) => n(k).toFixed(1);
    const cpu = ['user', 'system', 'nice', 'wait', 'hardirq', 'softirq', 'steal', 'guest', 'guestnice']
      .map((p) => el(p, pct(`cpu${p[0]!.toUpperCase()}${p.slice(1)}`)))
      .join('');
    return (
      `<filedescriptors>${el('allocated', n('fdAllocated'))}${el('unused', 0)}${el('maximum', n('fdMaximum'))}</filedescriptors>` +
      `<system><load>${el('avg01', n('load1').toFixed(2))}${el('avg05', n('load5').toFixed(2))}${el('avg15', n('load15').toFixed(2))}</load>` +
      `<cpu>${cpu}</cpu><memory>${el('percent', pct('memoryPercent'))}${el('kilobyte', Math.round(n('memoryBytes') / 1024))}</memory>` +
      `<swap>${el('percent', pct('swapPercent'))}${el('kilobyte', Math.round(n('swapBytes') / 1024))}</swap></system>`
    );
  }
  if ((s.type === 'process' || s.type === 'job') && typeof o.pid === 'number' && o.pid > 0) {
    const n = (k: string) => (typeof o[k] === 'number' ? (o[k] as number) : 0);
    return (
      `${el('pid', n('pid'))}${el('ppid', n('ppid'))}${el('uid', n('uid'))}${el('euid', n('euid'))}${el('gid', n('gid'))}` +
      `${el('uptime', n('uptime'))}${el('threads', n('threads'))}${el('children', n('children'))}` +
      `<memory>${el('percent', n('memoryPercent').toFixed(1))}${el('percenttotal', n('memoryPercentTotal').toFixed(1))}` +
      `${el('kilobyte', n('memoryKb'))}${el('kilobytetotal', n('memoryKbTotal'))}</memory>` +
      `<cpu>${el('percent', n('cpuPercent').toFixed(1))}${el('percenttotal', n('cpuPercentTotal').toFixed(1))}</cpu>` +
      `<filedescriptors>${el('open', n('fdOpen'))}${el('opentotal', n('fdOpenTotal'))}<limit>${el('soft', n('fdSoftLimit'))}${el('hard', n('fdHardLimit'))}</limit></filedescriptors>`
    );
  }
  if (s.type === 'program' && typeof o.exitStatus === 'number') {
    return `<program>${el('started', Math.floor((s.lastCheck ?? 0) / 1000))}${el('status', o.exitStatus)}<output>${cdata(String(o.output ?? ''))}</output></program>`;
  }
  return '';
}

/** The XML document up to the first `<service>`: `<server>` and `<platform>`. */
export function xmlHead(server: ServerInfo): string {
  const httpd = server.httpd ? `<httpd>${el('address', server.httpd.address)}${el('port', server.httpd.port)}${el('ssl', server.httpd.ssl ? 1 : 0)}</httpd>` : '';
  return (
    `<?xml version="1.0" encoding="ISO-8859-1"?><monit><server>${el('id', server.id)}${el('incarnation', server.incarnation)}` +
    `${el('version', server.version)}${el('uptime', server.uptimeSeconds)}${el('poll', server.poll)}${el('startdelay', server.startDelay)}` +
    `${el('localhostname', server.localhostname)}${el('controlfile', server.controlfile)}${httpd}</server>` +
    `<platform>${el('name', 'Linux')}${el('release', release())}${el('version', osVersion())}${el('machine', arch() === 'x64' ? 'x86_64' : arch())}` +
    `${el('cpu', cpus().length)}${el('memory', Math.round(totalmem() / 1024))}${el('swap', 0)}</platform>`
  );
}

/** The end of the XML document. */
export const XML_TAIL = '</monit>';

/**
 * One `<service>` element. `summary` (`level=summary`, ignored by Monit 5.33, honoured by
 * later Monit) leaves out the type-specific elements: name, times, status and modes only.
 */
export function xmlService(s: ServiceStatus, summary = false): string {
  const collected = s.lastCheck ?? 0;
  return (
    `<service type="${XML_TYPES[s.type]}">${el('name', s.name)}${el('collected_sec', Math.floor(collected / 1000))}` +
    `${el('collected_usec', (collected % 1000) * 1000)}${el('status', s.statusBits)}${el('status_hint', 0)}` +
    `${el('monitor', monitorCode(s))}${el('monitormode', s.mode === 'passive' ? 1 : 0)}` +
    `${el('onreboot', s.onreboot === 'nostart' ? 1 : s.onreboot === 'laststate' ? 2 : 0)}${el('pendingaction', 0)}${summary ? '' : typeElements(s)}</service>`
  );
}

/**
 * Monit 5.33's `/_status?format=xml` (reference monit-behaviour §3): the same elements and
 * service type codes, so Telegraf's monit input and Monit exporters read warden unchanged.
 * Unlike Monit, no `<credentials>` element: warden never sends the httpd password.
 */
export function statusXml(server: ServerInfo, services: readonly ServiceStatus[], summary = false): string {
  return `${xmlHead(server)}${services.map((s) => xmlService(s, summary)).join('')}${XML_TAIL}`;
}
