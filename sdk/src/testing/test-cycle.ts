import type { CycleContext } from '../context.js';

/** A cycle context for tests: memoises like core's, for one cycle `number`. */
export function testCycle(number = 1): CycleContext {
  const memo = new Map<string, Promise<unknown>>();
  const values = new Map<string, unknown>();
  return {
    number,
    memo<T>(key: string, compute: () => Promise<T> | T): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = Promise.resolve().then(compute);
        memo.set(key, p);
      }
      return p;
    },
    memoSync<T>(key: string, compute: () => T): T {
      if (values.has(key)) return values.get(key) as T;
      const value = compute();
      values.set(key, value);
      return value;
    },
  };
}
