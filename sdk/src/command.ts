import { parseArgsStringToArgv } from 'string-argv';

/**
 * Split a Monit command string (`"/bin/sh -c 'kill `cat /x.pid`'"`) into argv the way a
 * shell would split words: single and double quotes group, no variable expansion.
 */
export function splitCommand(command: string): string[] {
  return parseArgsStringToArgv(command.trim());
}
