import { BUILTIN_PLUGINS } from './builtins.generated.js';
import type { PluginHost } from './plugin-host.js';

/** Load every built-in plugin by package name, through the same path as `load` statements. */
export async function loadBuiltins(host: PluginHost, names: readonly string[] = BUILTIN_PLUGINS): Promise<void> {
  for (const name of names) await host.load(name);
}
