// Real daemons for the process e2e tests: a start script that daemonizes (setsid, so the
// service is a process-group leader whose pid is written to a pidfile) and a stop script.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export { freePort } from './harness.mjs';

/**
 * Write `<name>.sh` (the service: writes its pid, then runs `body`), `<name>-start.sh` (starts
 * it in its own session, records MONIT_* env) and `<name>-stop.sh` (TERMs its process group).
 */
export function daemonScripts(dir, name, body) {
  const pidfile = join(dir, `${name}.pid`);
  const svc = join(dir, `${name}.sh`);
  const start = join(dir, `${name}-start.sh`);
  const stop = join(dir, `${name}-stop.sh`);
  writeFileSync(svc, `#!/bin/sh\necho $$ > ${pidfile}\n${body}\n`);
  writeFileSync(start, `#!/bin/sh\nenv | grep -E '^(MONIT|WARDEN)_' | sort > ${join(dir, `${name}.env`)}\necho $(date +%s%N) >> ${join(dir, `${name}.starts`)}\nsetsid ${svc} >/dev/null 2>&1 </dev/null &\n`);
  writeFileSync(stop, `#!/bin/sh\nkill -15 -$(cat ${pidfile})\n`);
  for (const f of [svc, start, stop]) chmodSync(f, 0o755);
  return { pidfile, start, stop, envFile: join(dir, `${name}.env`), startsFile: join(dir, `${name}.starts`) };
}

/** The pid in a pidfile, or undefined. */
export function pidIn(pidfile) {
  if (!existsSync(pidfile)) return undefined;
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  return pid > 0 ? pid : undefined;
}

/** True when `pid` runs and is not a zombie. */
export function running(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/** KILL the process groups of every pid the tests saw (each service leads its own group). */
export function killGroups(pids) {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * KILL every process whose command line names `dir` (the services and start scripts of one
 * test, including one a daemon started just before it was stopped), with its process group
 * when it leads one.
 */
export function killByDir(dir) {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(dir)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      process.kill(pgid === Number(name) ? -pgid : Number(name), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
