#!/usr/bin/env node
// Bundles the compiled CLI (core/dist) and every built-in plugin into core/dist/warden.mjs,
// which core/bin/warden.js runs. Node 20's ESM loader costs about a millisecond per file,
// and the compiled daemon is ~300 files; one file, plus lazy chunks in core/dist/chunks/ for
// the `import()`s (nodemailer, net-snmp, undici, …), starts in a fraction of that.
//
//   node scripts/bundle.mjs     (after `tsc -b`; `npm run build` runs both)
//
// The entry imports each built-in plugin statically and registers it with core's preload
// map (core/src/plugins/preloaded.ts) with its package.json, so the plugin host neither
// imports them nor reads their packages; it still checks every manifest. @warden/sdk is
// bundled too (its 15 files cost ~25 ms through the ESM loader, one ~6 ms): a third-party
// plugin loads its own copy from node_modules, which is safe because the sdk keeps no state
// and core recognises nothing of it by identity (a ParseError by its name).
import { build } from 'esbuild';
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'core/dist');
const { BUILTIN_PLUGINS } = await import(pathToFileURL(join(dist, 'plugins/builtins.generated.js')).href);

const ENTRY = 'warden-entry';
const entry = [
  "import { registerPreloaded } from './plugins/preloaded.js';",
  ...BUILTIN_PLUGINS.map((name, i) => `import plugin${i} from '${name}';\n${registration(name, `plugin${i}`)}`),
  "export { main } from './cli/main.js';",
].join('\n');

/**
 * The entry's line registering a built-in with its folder (relative to core/dist, where the
 * bundle runs from) and the package.json fields the plugin host reads, so that starting
 * warden resolves and reads no plugin package.
 */
function registration(name, plugin) {
  const dir = realpathSync(join(root, 'node_modules', name));
  const { name: pkgName, main, exports, warden } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const url = `new URL(${JSON.stringify(`${relative(dist, dir)}/`)}, import.meta.url)`;
  return `registerPreloaded('${name}', ${plugin}, ${url}, ${JSON.stringify({ name: pkgName, main, exports, warden })});`;
}

/** The entry above as a module that resolves from core/dist, as a file there would. */
const entryPlugin = {
  name: ENTRY,
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${ENTRY}$`) }, () => ({ path: ENTRY, namespace: ENTRY }));
    b.onLoad({ filter: /.*/, namespace: ENTRY }, () => ({ contents: entry, resolveDir: dist, loader: 'js' }));
  },
};

/**
 * One copy of each package version: npm installs the same undici 7 under four workspaces
 * (the root holds undici 6 for another dependency), and the bundle would carry every copy,
 * and a daemon using two of them would compile both. Later copies resolve into the first.
 */
const dedupePlugin = {
  name: 'dedupe',
  setup(b) {
    const firstDir = new Map();
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === dedupePlugin) return undefined;
      const { resolveDir, importer, kind } = args;
      const found = await b.resolve(args.path, { resolveDir, importer, kind, pluginData: dedupePlugin });
      const dir = packageDir(found.path);
      if (found.errors.length || found.external || !dir) return found.errors.length ? undefined : found;
      const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const key = `${name}@${version}`;
      if (!firstDir.has(key)) firstDir.set(key, dir);
      return { ...found, path: firstDir.get(key) + found.path.slice(dir.length) };
    });
  },
};

/**
 * Node gives `await import('a-commonjs-package')` the package's exports as named exports too;
 * esbuild gives the lazy chunk of a CommonJS package only a default export, so
 * `const { request } = await import('undici')` would find nothing. A dynamic import of a
 * CommonJS package therefore goes through a small ES module that names its exports (read by
 * loading the package here).
 */
const cjsFacadePlugin = {
  name: 'cjs-facade',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const { resolveDir, importer } = args;
      const found = await b.resolve(args.path, { resolveDir, importer, kind: 'import-statement' });
      if (found.errors.length || found.external || !isCommonJs(found.path)) return undefined;
      return { path: found.path, namespace: 'cjs-facade' };
    });
    b.onLoad({ filter: /.*/, namespace: 'cjs-facade' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path)).filter(isIdentifier);
      const contents = `import m from ${JSON.stringify(args.path)};\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`;
      return { contents, resolveDir: dirname(args.path), loader: 'js' };
    });
  },
};

function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  const dir = packageDir(file);
  return !dir || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type !== 'module';
}

/** A name usable as `export const NAME` (not `default`, not a reserved word). */
function isIdentifier(name) {
  if (name === 'default' || !/^[A-Za-z_$][\w$]*$/.test(name)) return false;
  try {
    new Function(`let ${name};`);
    return true;
  } catch {
    return false;
  }
}

/** The package folder (`…/node_modules/name` or `…/node_modules/@scope/name`) holding `file`. */
function packageDir(file) {
  const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file ?? '');
  return match?.[1];
}

// Chunk names carry content hashes: without this, every build would leave the last one's.
rmSync(join(dist, 'chunks'), { recursive: true, force: true });

const result = await build({
  entryPoints: [{ in: ENTRY, out: 'warden' }],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [entryPlugin, cjsFacadePlugin, dedupePlugin],
  // CommonJS dependencies call require(); an ES module has none, so each output file makes one.
  banner: { js: "import { createRequire as wardenCreateRequire } from 'node:module';\nconst require = wardenCreateRequire(import.meta.url);" },
  // A third smaller, ~2.5 MB less RSS (compile time about the same); identifiers stay, so
  // stack traces keep their function names.
  minifyWhitespace: true,
  minifySyntax: true,
  // The bundled packages' licence comments go to *.LEGAL.txt beside each output file.
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
const total = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
const main = outputs.find(([file]) => file.endsWith('/warden.mjs'));
process.stdout.write(`bundle: core/dist/warden.mjs ${(main[1].bytes / 1024).toFixed(0)} KB, ${outputs.length - 1} chunks, ${(total / 1024).toFixed(0)} KB in all\n`);
