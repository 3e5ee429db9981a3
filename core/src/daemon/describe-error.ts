import { isParseError } from '@warden/sdk';

/**
 * One clear text for any error that reaches the user: `FILE:LINE: message` for control
 * file errors, the message otherwise — never a stack trace.
 */
export function describeError(err: unknown): string {
  if (isParseError(err)) return `${err.file}:${err.line}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
