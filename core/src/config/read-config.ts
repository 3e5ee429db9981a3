import { dirname } from 'node:path';
import { loadBuiltins } from '../plugins/load-builtins.js';
import { PluginHost } from '../plugins/plugin-host.js';
import { parseControlTokens, readControlFile } from './monitrc/load-control-file.js';
import type { ControlModel } from './model.js';

/** A parsed control file and the plugins it was parsed with. */
export interface LoadedConfig {
  readonly model: ControlModel;
  readonly host: PluginHost;
}

/**
 * Read a control file the whole way: include expansion, the built-in plugins and the ones
 * its `load` statements name (relative paths from the file that says `load`), then the
 * parse. Throws `ParseError` (`FILE:LINE: …`) or `ControlFileError`; loads nothing into
 * a running daemon, so a reload that fails leaves the old configuration untouched.
 */
export async function readConfig(file: string, builtins?: readonly string[]): Promise<LoadedConfig> {
  const host = new PluginHost();
  await loadBuiltins(host, builtins);
  const read = readControlFile(file);
  for (const stmt of read.loads) await host.load(stmt.spec, stmt.pos, dirname(stmt.pos.file));
  return { model: parseControlTokens(read, host), host };
}
