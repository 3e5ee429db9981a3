import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from '@warden/sdk';

/** A built-in the bundle carries: its code, and the package.json and folder it was built from. */
export interface PreloadedPackage {
  readonly plugin: Plugin;
  /** The package folder, symlinks resolved; undefined when it is no longer where it was built. */
  readonly dir: string | undefined;
  /** Its package.json as it was at bundle time (read only with `dir`). */
  readonly packageJson: unknown;
}

/**
 * Built-in plugins already in memory, by package name. The bundle (scripts/bundle.mjs)
 * imports every built-in statically and registers it here before the CLI starts, with its
 * package.json and folder, so the plugin host neither imports the plugin nor resolves and
 * reads its package (17 module resolutions and 34 file reads at every start). Empty when
 * warden runs from the compiled files: the host then resolves and imports each by name.
 */
const preloaded = new Map<string, { readonly plugin: Plugin; readonly dirUrl: URL; readonly packageJson: unknown }>();

/**
 * Register the default export of the built-in package `name`, with its folder (a `file:` URL
 * relative to the bundle) and its package.json.
 */
export function registerPreloaded(name: string, plugin: Plugin, dirUrl: URL, packageJson: unknown): void {
  preloaded.set(name, { plugin, dirUrl, packageJson });
}

/** The registered package `name`, if the bundle registered one. */
export function preloadedPackage(name: string): PreloadedPackage | undefined {
  const entry = preloaded.get(name);
  if (!entry) return undefined;
  const dir = fileURLToPath(entry.dirUrl).replace(/\/$/, '');
  // A checkout moved or installed elsewhere after bundling: the host finds the package itself.
  if (!existsSync(join(dir, 'package.json'))) return { plugin: entry.plugin, dir: undefined, packageJson: undefined };
  return { plugin: entry.plugin, dir, packageJson: entry.packageJson };
}
