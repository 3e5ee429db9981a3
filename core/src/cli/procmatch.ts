import { readdirSync, readFileSync } from 'node:fs';

/** One process as `procmatch` lists it. */
export interface ListedProcess {
  readonly pid: number;
  readonly ppid: number;
  /** Start time after boot in clock ticks (older = smaller). */
  readonly start: number;
  readonly zombie: boolean;
  readonly command: string;
}

/** Every process of `/proc` with its command line (`[comm]` for kernel threads). */
export function listProcesses(): ListedProcess[] {
  const out: ListedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const raw = readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0+$/, '').replace(/\0/g, ' ');
      const command = raw || `[${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}]`;
      out.push({ pid: Number(name), ppid: Number(f[1]), start: Number(f[19]), zombie: f[0] === 'Z', command });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/**
 * The matching processes and the one a `check process … matching` follows: top-most (its
 * parent does not match), then the longest running. The caller itself never matches.
 */
export function matchProcesses(procs: readonly ListedProcess[], pattern: RegExp, self: number): { readonly matches: ListedProcess[]; readonly pick?: number } {
  const matches = procs.filter((p) => p.pid !== self && pattern.test(p.command));
  const pids = new Set(matches.map((p) => p.pid));
  let pick: ListedProcess | undefined;
  for (const p of matches) {
    if (pids.has(p.ppid) || p.zombie) continue;
    if (!pick || p.start < pick.start || (p.start === pick.start && p.pid < pick.pid)) pick = p;
  }
  return { matches, ...(pick ? { pick: pick.pid } : {}) };
}

/** `procmatch REGEX` in Monit's format (reference G24); the exit code and the text. */
export function procmatch(args: readonly string[], procs: () => readonly ListedProcess[] = listProcesses, self = process.pid): { readonly code: number; readonly out: string; readonly err: string } {
  if (args.length !== 1) return { code: 1, out: '', err: 'Invalid syntax - usage: procmatch "<pattern>"\n' };
  let re: RegExp;
  try {
    re = new RegExp(args[0]!);
  } catch (e) {
    return { code: 1, out: '', err: `Regex parsing error: ${(e as Error).message}\n` };
  }
  const { matches, pick } = matchProcesses(procs(), re, self);
  const lines = [`List of processes matching pattern "${args[0]}":`];
  if (matches.length > 0) {
    lines.push(`    PID       PPID      Command`.padEnd(75));
    for (const p of matches) lines.push(` ${p.pid === pick ? '*' : ' '}${String(p.pid).padStart(10)}${String(p.ppid).padStart(10)}  ${p.command.padEnd(51)}`);
  }
  lines.push(`Total matches: ${matches.length}`);
  if (matches.length > 1) lines.push('', 'WARNING:', 'Multiple processes match the pattern. warden will select the process with the', 'highest uptime, the one highlighted.');
  return { code: 0, out: `${lines.join('\n')}\n`, err: '' };
}
