/** `warden --help` after the options list, in the layout of Monit's `monit -h`. */
export const HELP_TAIL = `
Optional actions are as follows:
 start all             - Start all services
 start <name>          - Only start the named service
 stop all              - Stop all services
 stop <name>           - Stop the named service
 restart all           - Stop and start all services
 restart <name>        - Only restart the named service
 monitor all           - Enable monitoring of all services
 monitor <name>        - Only enable monitoring of the named service
 unmonitor all         - Disable monitoring of all services
 unmonitor <name>      - Only disable monitoring of the named service
 reload                - Reinitialize the running daemon (SIGHUP: re-read the control file, reopen the log)
 status [name]         - Print full status information for the service(s)
 summary [name]        - Print a short status summary for the service(s)
 report [up|down|failed|initialising|unmonitored|total]
                       - Report the state of services, or a count of them
 quit                  - Kill the warden daemon process (SIGTERM: a clean shutdown)
 validate              - Wake the daemon for a cycle, print the status; exit 1 if a service fails
 procmatch <regex>     - Test a process matching pattern: list the processes it selects
 help <action>         - Print the help of one action
 (none)                - Start the daemon, or wake the running one (SIGUSR1)

start, stop, restart, monitor, unmonitor, status, summary, report and validate talk to the
running daemon through its HTTP interface ('set httpd' in the control file); -g GROUP
restricts them to a service group.

Examples:
 warden -t -c /etc/warden/monitrc       Check the syntax of a control file
 warden -t --json -c monitrc            Print the parsed control file as JSON
 warden -I -v -c examples/monitrc       Run in the foreground, logging every check
 warden -I --log-format json -c FILE    Log one JSON object per line (for log shippers)
 warden reload                          Re-read the control file of the running daemon
 warden -c monitrc restart nginx        Restart one service
 warden -g www summary                  The services of one group

Exit status:
 0  success: the control file is valid, the action was done, the daemon stopped cleanly
 1  a bad option or argument, a bad or missing control file, a daemon already running on
    the pid file, a failed or refused action, a daemon that cannot be reached, or
    'validate' finding a failed service

Files: the control file is the first of ~/.monitrc, /etc/monitrc, /etc/monit/monitrc,
/usr/local/etc/monitrc, ./monitrc unless -c names one. More: 'warden help <action>',
docs/CONFIGURATION.md, docs/MIGRATING-FROM-MONIT.md, docs/MIGRATING-FROM-PMTR.md.`;

const SERVICE = (verb: string, what: string) => `Usage: warden [-c FILE] [-g GROUP] ${verb} <name>|all

${what}
The request goes to the running daemon through its HTTP interface ('set httpd' in the
control file, with 'allow' credentials when it has any); the daemon does the work in the
background and logs it. With -g GROUP and 'all', only the services of that group.

Examples:
 warden ${verb} nginx
 warden -g www ${verb} all

Exit status: 0 when the daemon accepted the request; 1 when the service is unknown, the
daemon cannot be reached or refuses it.`;

/** `warden help <action>`: one paragraph per action, Monit's words where Monit has them. */
export const ACTION_HELP: Readonly<Record<string, string>> = {
  start: SERVICE('start', 'Start the named service (its "start program", or the job) and enable monitoring of it.'),
  stop: SERVICE('stop', 'Stop the named service (its "stop program", or TERM then KILL for a job) and disable\nmonitoring of it.'),
  restart: SERVICE('restart', 'Stop and start the named service ("restart program" when it has one).'),
  monitor: SERVICE('monitor', 'Enable monitoring of the named service (and of the services it depends on).'),
  unmonitor: SERVICE('unmonitor', 'Disable monitoring of the named service (and of the services depending on it).'),
  status: `Usage: warden [-c FILE] [-g GROUP] status [name]

Print the full status of every service, or of the named one, as the running daemon last
saw it: state, monitoring mode, and the values of the last check.

Exit status: 0 when printed; 1 when the daemon cannot be reached or the name is unknown.`,
  summary: `Usage: warden [-c FILE] [-g GROUP] summary [name]

Print one line per service: name, status, type.

Exit status: 0 when printed; 1 when the daemon cannot be reached or the name is unknown.`,
  report: `Usage: warden [-c FILE] [-g GROUP] report [up|down|failed|initialising|unmonitored|total]

Without an argument: the number of services in each state. With one: only that number,
for scripts (e.g. 'test "$(warden report down)" -eq 0').

Exit status: 0 when printed; 1 when the daemon cannot be reached.`,
  validate: `Usage: warden [-c FILE] validate

Wake the running daemon for a cycle and print the status of every service.

Exit status: 0 when every service is fine; 1 when one has failed or the daemon cannot be
reached.`,
  reload: `Usage: warden [-c FILE] [-p PIDFILE] reload

Send SIGHUP to the daemon named in the pid file: it re-reads the control file (a broken
file is logged and the running configuration kept), reopens its log file (for logrotate)
and restarts its checks. Supervised jobs keep running.

Exit status: 0 when the signal was sent; 1 when no daemon runs on the pid file.`,
  quit: `Usage: warden [-c FILE] [-p PIDFILE] quit

Send SIGTERM to the daemon named in the pid file. It stops its checks, delivers or
queues pending alerts, stops the jobs it supervises (TERM, then KILL after the grace
period), removes its pid file and exits 0. Services started with 'start program' keep
running, as with Monit.

Exit status: 0 when the signal was sent or no daemon runs; 1 on error.`,
  procmatch: `Usage: warden procmatch <regex>

Print the processes a 'check process NAME matching REGEX' would match, and mark the one
warden would pick. Needs neither a control file nor a running daemon.

Exit status: 0 when printed; 1 for a bad regular expression.`,
  help: `Usage: warden help <action>

Print the help of one action; 'warden -h' lists them all.`,
};

/** The help text of `action`, or undefined when there is no such action. */
export function actionHelp(action: string): string | undefined {
  return Object.hasOwn(ACTION_HELP, action) ? ACTION_HELP[action] : undefined;
}
