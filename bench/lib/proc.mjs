// Reading a daemon's CPU time and memory from /proc, and ending processes by pid.
import { readFileSync, readdirSync } from 'node:fs';
import { sleep } from './stats.mjs';

const TICK_MS = 10; // CLK_TCK is 100 on Linux/x86-64 (getconf CLK_TCK)

/**
 * CPU time of process `pid` so far: `ns` = the sum of sum_exec_runtime over its live threads
 * (/proc/PID/task/T/schedstat, nanoseconds), `ticksMs` = utime+stime of /proc/PID/stat in ms
 * (10 ms resolution, includes threads that already exited). Undefined when the process is gone.
 */
export function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended between readdir and read
      }
    }
    return { ns, ticksMs };
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM of `pid` in kB (undefined when gone). */
export function memOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Pids of the direct children of `pid` (all its threads' children). */
export function childrenOf(pid) {
  const out = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
      } catch {
        // thread gone
      }
    }
  } catch {
    // process gone
  }
  return out;
}

/** True while `pid` exists and is not a zombie. */
export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** SIGTERM `child` (a ChildProcess), SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopChild(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

/** SIGKILL each pid of `pids` that is still there, then wait (bounded) until they are gone. */
export async function killPids(pids, signal = 'SIGKILL') {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 500 && pids.some(alive); i++) await sleep(10);
}
