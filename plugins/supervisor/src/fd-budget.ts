import { readdirSync } from 'node:fs';
import { softFdLimit } from '@warden/sdk';

/** Where a job's output goes when warden has no descriptors to spare for its pipes. */
export const NO_OUTPUT = '/dev/null';

/** Warden's open descriptors and its soft `RLIMIT_NOFILE`, from /proc; undefined elsewhere. */
export interface FdUsage {
  readonly open: number;
  readonly limit: number;
}

/** Read this process's descriptor use (Linux /proc); undefined when /proc cannot tell. */
export function fdUsage(): FdUsage | undefined {
  const limit = softFdLimit();
  if (limit === undefined) return undefined;
  try {
    // The listing itself holds one descriptor while it reads.
    return { open: readdirSync('/proc/self/fd').length - 1, limit };
  } catch {
    return undefined;
  }
}

/**
 * Whether `pipes` more descriptors held for as long as a job runs still leave a quarter of
 * the limit (at least 64) to everything else warden does: checks' sockets and files,
 * program runs, the control socket, restarts. Each job whose output is logged holds one
 * descriptor per stream for its lifetime, so 2000 such jobs cannot fit in the usual 1024.
 */
export function pipesFit(usage: FdUsage | undefined, pipes: number): boolean {
  if (!usage || pipes === 0) return true;
  const reserve = Math.max(64, Math.floor(usage.limit / 4));
  return usage.open + pipes <= usage.limit - reserve;
}
