import type { Plugin } from '@warden/sdk';

/**
 * Built-in plugins already in memory, by package name. The bundle (scripts/bundle.mjs)
 * imports every built-in statically and registers it here before the CLI starts, so the
 * plugin host skips one `import()` (and its module graph) per plugin. Empty when warden runs
 * from the compiled files: the host then imports each plugin by name.
 */
const preloaded = new Map<string, Plugin>();

/** Register the default export of the built-in package `name`. */
export function registerPreloaded(name: string, plugin: Plugin): void {
  preloaded.set(name, plugin);
}

/** The registered plugin of package `name`, if the bundle registered one. */
export function preloadedPlugin(name: string): Plugin | undefined {
  return preloaded.get(name);
}
