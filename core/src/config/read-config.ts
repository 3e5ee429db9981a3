import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { detectFormat, type ConfigFormat } from './detect-format.js';
import { MAX_CONFIG_BYTES, pmtrModel } from './pmtr/index.js';
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
export async function readConfig(file: string, builtins?: readonly string[], format?: ConfigFormat): Promise<LoadedConfig> {
  const host = new PluginHost();
  await loadBuiltins(host, builtins);
  if ((format ?? detectFormat(readHead(file))) === 'pmtr') {
    const path = resolve(file);
    const size = statSync(path).size;
    if (size > MAX_CONFIG_BYTES) throw new Error(`${path}: file too large (${size} bytes)`);
    return { model: { ...pmtrModel(readFileSync(path, 'utf8'), path, host), format: 'pmtr' }, host };
  }
  const read = readControlFile(file);
  for (const stmt of read.loads) await host.load(stmt.spec, stmt.pos, dirname(stmt.pos.file));
  return { model: parseControlTokens(read, host), host };
}

/**
 * The start of a control file, enough to tell its format; empty when unreadable (the parser
 * says why). Only the head is read: a file of 10,000 services is read again by the parser.
 */
function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(64 * 1024);
    return head.toString('utf8', 0, readSync(fd, head, 0, head.length, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
