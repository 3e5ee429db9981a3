import type { ProbeResult } from '@warden/sdk';

/**
 * A result shared by every service that gets it (`file exists`): one frozen object per `key`,
 * made by `make` the first time. A rule that rests keeps its result, so thousands of services
 * keep one, not one each; core never modifies a result.
 */
export function sharedResult(cache: Map<string, ProbeResult>, key: string, make: () => ProbeResult): ProbeResult {
  let result = cache.get(key);
  if (result === undefined) {
    const made = make();
    if (made.observations) Object.freeze(made.observations);
    cache.set(key, (result = Object.freeze(made)));
  }
  return result;
}
