/**
 * pmtr's value parsers for job options, with its messages. Each returns the value or
 * throws `PmtrValueError` with pmtr's text (`nice out of range -20 to 19`).
 */
export class PmtrValueError extends Error {}

/** The target shape of the supervisor's `job` service type (see plugins/supervisor/README.md). */
export interface PmtrJob {
  name: string;
  argv: string[];
  dir?: string;
  out?: string;
  err?: string;
  in?: string;
  env: string[];
  user?: string;
  ulimits: Array<{ resource: string; value: number | 'unlimited' }>;
  depends: string[];
  bounceMs?: number;
  disabled: boolean;
  wait: boolean;
  once: boolean;
  order: number;
  nice?: number;
  cpu?: string;
}

/** pmtr's ulimit flags and `RLIMIT_*` names → prlimit's option names. */
const RESOURCES: Readonly<Record<string, string>> = {
  '-c': 'core', '-d': 'data', '-e': 'nice', '-f': 'fsize', '-i': 'sigpending', '-l': 'memlock',
  '-m': 'rss', '-n': 'nofile', '-q': 'msgqueue', '-r': 'rtprio', '-s': 'stack', '-t': 'cpu',
  '-u': 'nproc', '-v': 'as',
};

/** `%d` as sscanf reads it: a leading integer, trailing junk ignored; undefined when none. */
function leadingInt(text: string): number | undefined {
  const m = /^[+-]?\d+/.exec(text);
  return m ? Number(m[0]) : undefined;
}

/** `nice N`: −20…19. */
export function parseNice(text: string): number {
  const n = leadingInt(text);
  if (n === undefined) throw new PmtrValueError('non-numeric nice parameter');
  if (n < -20 || n > 19) throw new PmtrValueError('nice out of range -20 to 19');
  return n;
}

/** `order N`. */
export function parseOrder(text: string): number {
  const n = leadingInt(text);
  if (n === undefined) throw new PmtrValueError('non-numeric order parameter');
  return n;
}

/** `cpu 0x5` or `cpu 0,2-4` → a `taskset -c` list. */
export function parseCpu(text: string): string {
  if (/^0x/i.test(text)) {
    const hex = text.slice(2);
    if (hex === '') throw new PmtrValueError('parse error in cpuset');
    if (!/^[0-9a-f]+$/i.test(hex)) throw new PmtrValueError('invalid hex in cpuset');
    const cpus: number[] = [];
    const bits = BigInt(`0x${hex}`);
    for (let i = 0; i < hex.length * 4; i++) if ((bits >> BigInt(i)) & 1n) cpus.push(i);
    if (cpus.length === 0) throw new PmtrValueError('syntax error in cpuset');
    return cpus.join(',');
  }
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m || (m[2] !== undefined && Number(m[2]) <= Number(m[1]))) throw new PmtrValueError('syntax error in cpuset');
  }
  return text;
}

/** `ulimit FLAG VALUE`: soft = hard = VALUE. */
export function parseUlimit(flag: string, value: string): { resource: string; value: number | 'unlimited' } {
  const resource = RESOURCES[flag] ?? (/^RLIMIT_[A-Z]+$/.test(flag) ? flag.slice(7).toLowerCase() : undefined);
  if (!resource || !Object.values(RESOURCES).includes(resource)) throw new PmtrValueError(`unknown ulimit resource ${flag}`);
  let v: number | 'unlimited';
  if (value === 'infinity' || value === 'unlimited') v = 'unlimited';
  else {
    const n = leadingInt(value);
    if (n === undefined) throw new PmtrValueError('non-numeric ulimit value');
    // pmtr stores it in a signed int: -1 is RLIM_INFINITY.
    v = n < 0 ? 'unlimited' : n;
  }
  if (resource === 'nofile' && v === 'unlimited') throw new PmtrValueError('ulimit -n must be finite');
  return { resource, value: v };
}

/** `bounce every N{s,m,h,d}` → milliseconds. */
export function parseBounce(text: string): number {
  const m = /^(\d+)(.*)$/.exec(text);
  if (!m) throw new PmtrValueError("invalid time interval in 'bounce every'");
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!];
  if (unit === undefined) throw new PmtrValueError("invalid time unit in 'bounce every'");
  return Number(m[1]) * unit;
}

/** `env VAR=VALUE`. */
export function parseEnv(text: string): string {
  if (!text.includes('=')) throw new PmtrValueError('environment string must be VAR=VALUE');
  return text;
}

/** `udp://HOST:PORT[@IFACE]` of `report to` / `listen on`. */
export function parseUdp(text: string): { host: string; port: number; iface?: string } | undefined {
  const m = /^udp:\/\/([^:@/]+)(?::(\d+))?(?:@(\S+))?$/.exec(text);
  if (!m) return undefined;
  const port = m[2] === undefined ? 0 : Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1]!, port, ...(m[3] ? { iface: m[3] } : {}) };
}
