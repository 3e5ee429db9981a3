import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  API_VERSION,
  ParseError,
  contributionId,
  type ActionDefinition,
  type Definition,
  type EventStoreDefinition,
  type NotifierDefinition,
  type Plugin,
  type Polarity,
  type ProtocolDefinition,
  type ServiceTypeDefinition,
  type SettingDefinition,
  type SourcePos,
  type TestDefinition,
} from '@warden/sdk';
import type { GrammarRegistry } from '../config/grammar.js';
import { preloadedPackage, type PreloadedPackage } from './preloaded.js';

/** A plugin package as loaded: where it came from and what it contributed. */
export interface LoadedPlugin {
  readonly packageName: string;
  readonly dir: string;
  readonly definitions: readonly Definition[];
}

/** What the host knows by word; copied and swapped whole so a failed load registers nothing. */
interface Tables {
  /** Owning package by contribution id (`test:file.exist`). */
  readonly owners: Map<string, string>;
  readonly serviceTypes: Map<string, ServiceTypeDefinition<unknown, unknown, unknown>>;
  readonly tests: TestDefinition<unknown, unknown>[];
  readonly testKeywords: Set<string>;
  readonly actions: Map<string, ActionDefinition<unknown>>;
  readonly protocols: Map<string, ProtocolDefinition<unknown>>;
  readonly settings: Map<string, SettingDefinition<unknown>>;
  readonly notifiers: Map<string, NotifierDefinition>;
  readonly eventStores: Map<string, EventStoreDefinition>;
}

function copyTables(t?: Tables): Tables {
  return {
    owners: new Map(t?.owners),
    serviceTypes: new Map(t?.serviceTypes),
    tests: [...(t?.tests ?? [])],
    testKeywords: new Set(t?.testKeywords),
    actions: new Map(t?.actions),
    protocols: new Map(t?.protocols),
    settings: new Map(t?.settings),
    notifiers: new Map(t?.notifiers),
    eventStores: new Map(t?.eventStores),
  };
}

/** The fields of a plugin's package.json the host reads. */
type PackageJson = { name?: string; main?: string; exports?: unknown; warden?: Manifest };

/** The `"warden"` field of a plugin's package.json. */
interface Manifest {
  readonly apiVersion?: unknown;
  readonly contributes?: unknown;
}

/**
 * Loads plugin packages (built-ins by name, third-party by `load "<package or path>"`),
 * checks their manifests and API version, and registers their definitions by value.
 * It is the parser's {@link GrammarRegistry}: it knows which definition owns a word.
 */
export class PluginHost implements GrammarRegistry {
  private readonly plugins: LoadedPlugin[] = [];
  private tables = copyTables();
  private readonly loadedDirs = new Set<string>();
  private testIndexes: { readonly tables: Tables; readonly byType: Map<string, Map<Polarity, Map<string, TestDefinition<unknown, unknown>>>> } | undefined;

  /** Every loaded plugin, in load order. */
  get loaded(): readonly LoadedPlugin[] {
    return this.plugins;
  }

  /**
   * Load one plugin by package name or folder path (relative paths resolve from
   * `baseDir`). Loading the same folder twice (by any path or name) is a no-op. A load that
   * fails registers nothing. Errors name `pos` (`FILE:LINE: …`) when given.
   */
  async load(spec: string, pos?: SourcePos, baseDir = process.cwd()): Promise<LoadedPlugin | undefined> {
    const fail = (message: string): never => {
      if (pos) throw new ParseError(pos, message);
      throw new Error(message);
    };
    const isPath = spec.startsWith('/') || spec.startsWith('.');
    // A built-in in the bundle comes with its folder and package.json: nothing to resolve or read.
    const built = isPath ? undefined : preloadedPackage(spec);
    const dir = built?.dir ?? (isPath ? realDir(resolve(baseDir, spec)) : this.packageDir(spec, fail));
    if (this.loadedDirs.has(dir)) return undefined;
    const manifestPath = join(dir, 'package.json');
    let pkg: PackageJson;
    if (built?.dir !== undefined) {
      pkg = built.packageJson as PackageJson;
    } else {
      if (!existsSync(manifestPath)) {
        return fail(`cannot load plugin '${spec}': ${isPath ? `no package.json in ${dir}` : 'package not found'}`);
      }
      try {
        pkg = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
      } catch (err) {
        return fail(`cannot load plugin '${spec}': ${manifestPath} is not valid JSON (${(err as Error).message})`);
      }
    }
    const name = pkg.name ?? spec;
    const manifest = pkg.warden;
    if (!manifest || typeof manifest !== 'object') {
      return fail(
        `plugin '${name}' has no warden manifest in ${manifestPath} ` +
          `(expected "warden": { "apiVersion": ${API_VERSION}, "contributes": [...] })`,
      );
    }
    if (manifest.apiVersion !== API_VERSION) {
      return fail(
        `plugin '${name}' is written for plugin API version ${String(manifest.apiVersion)}; ` +
          `this warden supports version ${API_VERSION}`,
      );
    }
    if (!Array.isArray(manifest.contributes) || manifest.contributes.some((c) => typeof c !== 'string')) {
      return fail(`plugin '${name}': "warden.contributes" in ${manifestPath} must be a list of strings such as "test:${name}.check"`);
    }
    const entry = join(dir, entryOf(pkg));
    let mod: { default?: Plugin };
    try {
      mod = await importPlugin(built, entry);
    } catch (err) {
      return fail(`cannot load plugin '${name}' from ${entry}: ${(err as Error).message}`);
    }
    const plugin = mod.default;
    if (!plugin || !Array.isArray(plugin.definitions)) {
      return fail(`plugin '${name}': ${entry} must default-export definePlugin([...]) from @warden/sdk`);
    }
    if (plugin.apiVersion !== API_VERSION) {
      return fail(`plugin '${name}' was built with plugin API version ${String(plugin.apiVersion)}; this warden supports version ${API_VERSION}`);
    }
    const declared = new Set(manifest.contributes as string[]);
    const actual = new Set(plugin.definitions.map(contributionId));
    const missing = [...declared].filter((id) => !actual.has(id));
    const undeclared = [...actual].filter((id) => !declared.has(id));
    if (missing.length || undeclared.length) {
      return fail(
        `plugin '${name}': its manifest does not match its code` +
          (missing.length ? `; declared but not exported: ${missing.join(', ')}` : '') +
          (undeclared.length ? `; exported but not declared: ${undeclared.join(', ')}` : ''),
      );
    }
    const tables = copyTables(this.tables);
    for (const def of plugin.definitions) register(tables, def, name, fail);
    this.tables = tables;
    const loaded = { packageName: name, dir, definitions: plugin.definitions };
    this.plugins.push(loaded);
    this.loadedDirs.add(dir);
    return loaded;
  }

  /** The folder of an installed package, found from its entry point. */
  private packageDir(name: string, fail: (m: string) => never): string {
    let entryUrl: string;
    try {
      entryUrl = import.meta.resolve(name);
    } catch {
      return fail(`cannot load plugin '${name}': package not found (install it, or load it by path)`);
    }
    let dir = dirname(fileURLToPath(entryUrl));
    for (let depth = 0; depth < 8; depth++) {
      const pj = join(dir, 'package.json');
      if (existsSync(pj)) {
        try {
          if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === name) return dir;
        } catch {
          // keep walking up
        }
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return fail(`cannot load plugin '${name}': no package.json named '${name}' above ${fileURLToPath(entryUrl)}`);
  }

  serviceType(keyword: string): ServiceTypeDefinition<unknown, unknown, unknown> | undefined {
    return this.tables.serviceTypes.get(keyword.toLowerCase());
  }

  test(serviceType: string, polarity: Polarity, keyword: string): TestDefinition<unknown, unknown> | undefined {
    return this.testIndex(serviceType, polarity).get(keyword.toLowerCase());
  }

  /**
   * The tests of a service type and polarity by lowercase keyword, the first registered
   * winning: built on first use and dropped when a load swaps the tables, because the parser
   * asks once per rule, 10,000s of times a file.
   */
  private testIndex(serviceType: string, polarity: Polarity): Map<string, TestDefinition<unknown, unknown>> {
    if (this.testIndexes?.tables !== this.tables) this.testIndexes = { tables: this.tables, byType: new Map() };
    let byPolarity = this.testIndexes.byType.get(serviceType);
    if (!byPolarity) this.testIndexes.byType.set(serviceType, (byPolarity = new Map()));
    let index = byPolarity.get(polarity);
    if (!index) {
      index = new Map();
      for (const t of this.tables.tests) {
        if (!t.serviceTypes.includes(serviceType) || !t.polarities.includes(polarity)) continue;
        for (const k of t.keywords) if (!index.has(k.toLowerCase())) index.set(k.toLowerCase(), t);
      }
      byPolarity.set(polarity, index);
    }
    return index;
  }

  isTestKeyword(keyword: string): boolean {
    return this.tables.testKeywords.has(keyword.toLowerCase());
  }

  action(keyword: string): ActionDefinition<unknown> | undefined {
    return this.tables.actions.get(keyword.toLowerCase());
  }

  protocol(name: string): ProtocolDefinition<unknown> | undefined {
    return this.tables.protocols.get(name.toLowerCase());
  }

  /** Every notifier (mail, Alertmanager, webhook), in load order. */
  notifiers(): NotifierDefinition[] {
    return [...this.tables.notifiers.values()];
  }

  /** Every event store (the durable event queue), in load order. */
  eventStores(): EventStoreDefinition[] {
    return [...this.tables.eventStores.values()];
  }

  setting(keyword: string): SettingDefinition<unknown> | undefined {
    return this.tables.settings.get(keyword.toLowerCase());
  }
}

/** Add one definition to `t`, refusing any word another definition already owns. */
function register(t: Tables, def: Definition, owner: string, fail: (m: string) => never): void {
  const id = contributionId(def);
  const ownerOf = (other: Definition) => t.owners.get(contributionId(other));
  const previous = t.owners.get(id);
  if (previous) fail(`duplicate plugin definition '${id}': provided by both '${previous}' and '${owner}'`);
  switch (def.kind) {
    case 'service-type':
      for (const kw of def.keywords) {
        const other = t.serviceTypes.get(kw.toLowerCase());
        if (other) fail(`'check ${kw}' is claimed by both '${ownerOf(other)}' and '${owner}'`);
      }
      for (const kw of def.keywords) t.serviceTypes.set(kw.toLowerCase(), def);
      break;
    case 'test':
      for (const other of t.tests) {
        const clash = def.serviceTypes.some((st) => other.serviceTypes.includes(st)) &&
          def.polarities.some((p) => other.polarities.includes(p)) &&
          def.keywords.some((k) => other.keywords.some((o) => o.toLowerCase() === k.toLowerCase()));
        if (clash) {
          fail(`test keyword clash: '${def.name}' from '${owner}' and '${other.name}' from '${ownerOf(other)}' claim the same words for the same service type`);
        }
      }
      t.tests.push(def);
      for (const kw of def.keywords) t.testKeywords.add(kw.toLowerCase());
      break;
    case 'action':
      for (const kw of def.keywords) {
        const other = t.actions.get(kw.toLowerCase());
        if (other) fail(`action '${kw}' is claimed by both '${ownerOf(other)}' and '${owner}'`);
        t.actions.set(kw.toLowerCase(), def);
      }
      break;
    case 'protocol': {
      const other = t.protocols.get(def.name.toLowerCase());
      if (other) fail(`protocol '${def.name}' is claimed by both '${ownerOf(other)}' and '${owner}'`);
      t.protocols.set(def.name.toLowerCase(), def);
      break;
    }
    case 'setting':
      for (const kw of def.keywords) {
        const other = t.settings.get(kw.toLowerCase());
        if (other) fail(`'set ${kw}' is claimed by both '${ownerOf(other)}' and '${owner}'`);
        t.settings.set(kw.toLowerCase(), def);
      }
      break;
    case 'notifier':
      if (t.notifiers.has(def.name)) fail(`notifier '${def.name}' is claimed by both '${ownerOf(t.notifiers.get(def.name)!)}' and '${owner}'`);
      t.notifiers.set(def.name, def);
      break;
    case 'event-store':
      if (t.eventStores.has(def.name)) fail(`event store '${def.name}' is claimed by both '${ownerOf(t.eventStores.get(def.name)!)}' and '${owner}'`);
      t.eventStores.set(def.name, def);
      break;
  }
  t.owners.set(id, owner);
}

/**
 * The module of a plugin: the bundle's copy when a built-in is asked for by package name
 * (see preloaded.ts), else `entry` imported. A path is always imported, so a copy of a
 * built-in being worked on elsewhere is the code that runs.
 */
async function importPlugin(built: PreloadedPackage | undefined, entry: string): Promise<{ default?: Plugin }> {
  if (built) return { default: built.plugin };
  return (await import(pathToFileURL(entry).href)) as { default?: Plugin };
}

/** The folder itself when it exists, symlinks resolved, so one package is one folder. */
function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/** The module file a plugin package exports: `exports["."]`, then `main`, then `index.js`. */
function entryOf(pkg: { main?: string; exports?: unknown }): string {
  const exp = pkg.exports;
  if (typeof exp === 'string') return exp;
  if (exp && typeof exp === 'object') {
    const dot = (exp as Record<string, unknown>)['.'] ?? exp;
    if (typeof dot === 'string') return dot;
    if (dot && typeof dot === 'object') {
      const d = dot as Record<string, unknown>;
      const target = d.import ?? d.default ?? d.node;
      if (typeof target === 'string') return target;
    }
  }
  if (pkg.main) return pkg.main;
  return 'index.js';
}
