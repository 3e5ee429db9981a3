import { constants } from 'node:os';
import type { SpawnResult } from '@warden/sdk';

/**
 * The exit status a rule compares: the program's own, or 128 + N when signal N killed it
 * (the shell's convention, so `status != 0` catches a program killed at its timeout).
 */
export function exitValue(result: SpawnResult): number {
  if (result.status !== null) return result.status;
  const number = result.signal ? constants.signals[result.signal as keyof typeof constants.signals] : undefined;
  return number === undefined ? -1 : 128 + number;
}

/** The first line of the program's output (stderr first, as Monit shows it), or `no output`. */
export function firstLine(output: string): string {
  const line = output.trim().split('\n', 1)[0]?.trim() ?? '';
  return line === '' ? 'no output' : line;
}
