import { formatBytes, type Observation } from '@warden/sdk';
import type { ServiceStatus } from '../status/status-store.js';
import { formatDate, formatUptime, observationLabel } from './format.js';

type Obs = Readonly<Record<string, Observation>>;
type Line = readonly [label: string, value: string];

const num = (o: Obs, k: string): number | undefined => (typeof o[k] === 'number' ? (o[k] as number) : undefined);
const pct = (n: number) => `${n.toFixed(1)}%`;

/** Monit's process block (reference monit-behaviour §2), from the process plugin's keys. */
function processLines(o: Obs, used: Set<string>): Line[] {
  const out: Line[] = [];
  const take = (label: string, keys: string[], show: () => string | undefined) => {
    if (!keys.every((k) => o[k] !== undefined && o[k] !== null)) return;
    const v = show();
    if (v === undefined) return;
    keys.forEach((k) => used.add(k));
    out.push([label, v]);
  };
  take('pid', ['pid'], () => String(o.pid));
  take('parent pid', ['ppid'], () => String(o.ppid));
  take('uid', ['uid'], () => String(o.uid));
  take('effective uid', ['euid'], () => String(o.euid));
  take('gid', ['gid'], () => String(o.gid));
  take('uptime', ['uptime'], () => (typeof o.uptime === 'number' ? formatUptime(o.uptime) : String(o.uptime)));
  take('threads', ['threads'], () => String(o.threads));
  take('children', ['children'], () => String(o.children));
  take('cpu', ['cpuPercent'], () => pct(num(o, 'cpuPercent')!));
  take('cpu total', ['cpuPercentTotal'], () => pct(num(o, 'cpuPercentTotal')!));
  take('memory', ['memoryPercent', 'memoryKb'], () => `${pct(num(o, 'memoryPercent')!)} [${formatBytes(num(o, 'memoryKb')! * 1024)}]`);
  take('memory total', ['memoryPercentTotal', 'memoryKbTotal'], () => `${pct(num(o, 'memoryPercentTotal')!)} [${formatBytes(num(o, 'memoryKbTotal')! * 1024)}]`);
  take('security attribute', ['securityAttribute'], () => String(o.securityAttribute || '-'));
  take('filedescriptors', ['fdOpen', 'fdSoftLimit'], () => {
    const open = num(o, 'fdOpen')!;
    const limit = num(o, 'fdSoftLimit')!;
    return limit > 0 ? `${open} [${pct((open * 100) / limit)} of ${limit} limit]` : String(open);
  });
  used.add('fdHardLimit');
  take('total filedescriptors', ['fdOpenTotal'], () => String(o.fdOpenTotal));
  return out;
}

/** Monit's file, fifo and directory block. */
function pathLines(o: Obs, used: Set<string>): Line[] {
  const out: Line[] = [];
  const add = (label: string, key: string, show: (v: Observation) => string) => {
    if (o[key] === undefined || o[key] === null) return;
    used.add(key);
    out.push([label, show(o[key])]);
  };
  add('permission', 'mode', String);
  add('uid', 'uid', String);
  add('gid', 'gid', String);
  add('size', 'size', (v) => formatBytes(Number(v)));
  add('access timestamp', 'accessTime', (v) => formatDate(Number(v) * 1000));
  add('change timestamp', 'changeTime', (v) => formatDate(Number(v) * 1000));
  add('modify timestamp', 'modifyTime', (v) => formatDate(Number(v) * 1000));
  return out;
}

/** Monit's system block. */
function systemLines(o: Obs, used: Set<string>): Line[] {
  const out: Line[] = [];
  if (num(o, 'load1') !== undefined) {
    ['load1', 'load5', 'load15'].forEach((k) => used.add(k));
    out.push(['load average', `[${num(o, 'load1')!.toFixed(2)}] [${num(o, 'load5')!.toFixed(2)}] [${num(o, 'load15')!.toFixed(2)}]`]);
  }
  const parts: Array<[string, string]> = [['User', 'usr'], ['System', 'sys'], ['Nice', 'nice'], ['Wait', 'iowait'], ['Hardirq', 'hardirq'], ['Softirq', 'softirq'], ['Steal', 'steal'], ['Guest', 'guest'], ['Guestnice', 'guestnice']];
  if (num(o, 'cpuUser') !== undefined) {
    out.push(['cpu', parts.map(([k, label]) => { used.add(`cpu${k}`); return `${pct(num(o, `cpu${k}`) ?? 0)}${label}`; }).join(' ')]);
  }
  if (num(o, 'memoryBytes') !== undefined) {
    used.add('memoryBytes').add('memoryPercent');
    out.push(['memory usage', `${formatBytes(num(o, 'memoryBytes')!)} [${pct(num(o, 'memoryPercent') ?? 0)}]`]);
  }
  if (num(o, 'swapBytes') !== undefined) {
    used.add('swapBytes').add('swapPercent');
    out.push(['swap usage', `${formatBytes(num(o, 'swapBytes')!)} [${pct(num(o, 'swapPercent') ?? 0)}]`]);
  }
  if (num(o, 'uptime') !== undefined) {
    used.add('uptime');
    out.push(['uptime', formatUptime(num(o, 'uptime')!)]);
  }
  if (num(o, 'fdAllocated') !== undefined) {
    used.add('fdAllocated').add('fdMaximum');
    const max = num(o, 'fdMaximum') ?? 0;
    out.push(['filedescriptors', `${num(o, 'fdAllocated')} [${pct(max ? (num(o, 'fdAllocated')! * 100) / max : 0)} of ${max} limit]`]);
  }
  return out;
}

/** Monit's program block. */
function programLines(o: Obs, used: Set<string>): Line[] {
  const out: Line[] = [];
  if (o.exitStatus !== undefined && o.exitStatus !== null) {
    used.add('exitStatus');
    out.push(['last exit value', String(o.exitStatus)]);
  }
  if (typeof o.output === 'string') {
    used.add('output');
    out.push(['last output', o.output.trimEnd() || '-']);
  }
  return out;
}

/**
 * The value lines of a service's status block: Monit's labels and formats for the keys each
 * built-in type reports, then any other observation under its own name.
 */
export function observationLines(s: ServiceStatus): Line[] {
  const used = new Set<string>();
  const o = s.observations;
  const known =
    s.type === 'process' || s.type === 'job' ? processLines(o, used)
      : s.type === 'file' || s.type === 'fifo' || s.type === 'directory' ? pathLines(o, used)
        : s.type === 'system' ? systemLines(o, used)
          : s.type === 'program' ? programLines(o, used)
            : [];
  const rest: Line[] = Object.entries(o)
    .filter(([k, v]) => !used.has(k) && v !== null && v !== '')
    .map(([k, v]) => [observationLabel(k), String(v)]);
  return [...known, ...rest];
}
