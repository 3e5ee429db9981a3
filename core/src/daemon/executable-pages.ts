import { loadAddon, memoryAddon } from '../paths.js';

/** The native half (core/native/memory.c). */
interface MemoryAddon {
  /** Drops the executable's clean read-only mappings: the bytes that were resident, or -errno. */
  releaseExecutablePages(): number;
}

/**
 * Give back the pages of the `node` executable that starting touched and a running daemon does
 * not read again (V8's parser, the built-in modules' sources and code caches, initialising
 * OpenSSL and ICU): ~20 MB of RSS at any number of services. The pages stay in the page cache;
 * those the daemon reads again come back at their next use, as minor faults. Returns the bytes
 * that were resident in the mappings dropped, or undefined without the addon (not built, not
 * Linux) or when /proc could not be read.
 */
export function releaseExecutablePages(addon: MemoryAddon | Error = loadAddon<MemoryAddon>(memoryAddon)): number | undefined {
  if (addon instanceof Error) return undefined;
  const bytes = addon.releaseExecutablePages();
  return bytes >= 0 ? bytes : undefined;
}
