import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Files @warden/core ships beside its code. They are found from core's own package.json,
 * resolved by package name (a package may import itself through its `exports`), not from
 * `import.meta.url`: the same code runs from dist/<folder>/x.js, from the bundle
 * dist/warden.mjs and from a bundle chunk in dist/chunks/, each at another depth.
 */
const CORE_PACKAGE_JSON = import.meta.resolve('@warden/core/package.json');

/** core/package.json, where warden's version is read. */
export const corePackageJson: string = fileURLToPath(CORE_PACKAGE_JSON);

/** core/web/: the page the HTTP interface serves. */
export const webRoot: string = fileURLToPath(new URL('web', CORE_PACKAGE_JSON));

/** core/dist/native/reaper.node, where core/native/build.mjs puts the PID 1 reaper addon. */
export const reaperAddon: string = fileURLToPath(new URL('dist/native/reaper.node', CORE_PACKAGE_JSON));

/** core/dist/native/stat.node, the addon's stat(2) without Node's Stats object. */
export const statAddon: string = fileURLToPath(new URL('dist/native/stat.node', CORE_PACKAGE_JSON));

/** core/dist/native/memory.node, which gives back the executable's pages only start-up used. */
export const memoryAddon: string = fileURLToPath(new URL('dist/native/memory.node', CORE_PACKAGE_JSON));

/**
 * One of the addons core/native/build.mjs builds at install, or why it cannot be loaded (not
 * built: no C compiler, not Linux): each caller then does without it.
 */
export function loadAddon<T>(path: string): T | Error {
  try {
    return createRequire(import.meta.url)(path) as T;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
