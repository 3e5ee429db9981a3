#!/usr/bin/env node
// Runs every test of the repository in one mocha process, with the spec reporter, and
// prints as its last line `N passed, N failed` (plus `, N skipped` when tests are pending),
// counted from mocha's runner statistics. Exit status 1 when a test failed or none ran.
//
//   node scripts/run-tests.mjs                       everything (run `npm run build` first)
//   node scripts/run-tests.mjs core/dist/state       a folder, a file or a glob (several allowed)
//   node scripts/run-tests.mjs --grep 'for N cycles' only tests whose title matches
//   options: --grep PATTERN, --timeout MS (default 20000), --bail
//
// Test files: sdk/dist, core/dist, plugins/*/dist and test/dist `**/*.test.js` (compiled
// from `*.test.ts` beside the code), and `test/**/*.test.mjs` (plain JS, no build).
// A file that fails to load counts as one failed test named after it, so a broken import
// can never pass silently.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, matchesGlob, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP_DIRS = new Set(['node_modules', '.git']);

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    grep: { type: 'string', short: 'g' },
    timeout: { type: 'string', short: 't', default: '20000' },
    bail: { type: 'boolean', short: 'b', default: false },
  },
});

/** Every file under `dir` whose name ends with `suffix`, skipping node_modules. */
function walk(dir, suffix, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path, suffix, out);
    } else if (entry.isFile() && entry.name.endsWith(suffix)) {
      out.push(path);
    }
  }
  return out;
}

/** The whole suite, in a stable order: sdk, core, plugins, then the test workspace. */
function allTestFiles() {
  const dists = [join(root, 'sdk/dist'), join(root, 'core/dist')];
  const pluginsDir = join(root, 'plugins');
  if (existsSync(pluginsDir)) {
    for (const entry of readdirSync(pluginsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) dists.push(join(pluginsDir, entry.name, 'dist'));
    }
  }
  dists.push(join(root, 'test/dist'));
  const files = dists.flatMap((dir) => walk(dir, '.test.js').sort());
  const mjs = walk(join(root, 'test'), '.test.mjs').filter((f) => !f.includes(`${sep}dist${sep}`)).sort();
  return [...files, ...mjs];
}

/** Narrow the suite to what the command line names: folders, files or globs. */
function select(files, args) {
  if (args.length === 0) return files;
  const chosen = new Set();
  for (const arg of args) {
    const abs = resolve(arg);
    let hits;
    if (existsSync(abs) && statSync(abs).isDirectory()) {
      hits = files.filter((f) => f.startsWith(abs + sep));
    } else if (existsSync(abs)) {
      hits = [abs];
    } else if (/[*?[{]/.test(arg)) {
      hits = files.filter((f) => matchesGlob(relative(root, f), relative(root, abs)));
    } else {
      hits = files.filter((f) => relative(root, f).startsWith(relative(root, abs)));
    }
    if (hits.length === 0) process.stderr.write(`run-tests: no test file matches '${arg}'\n`);
    for (const f of hits) chosen.add(f);
  }
  return [...chosen];
}

/** Load each file the way mocha's own loader does, turning a load error into a failed test. */
async function load(mocha, files) {
  const { EVENT_FILE_PRE_REQUIRE, EVENT_FILE_REQUIRE, EVENT_FILE_POST_REQUIRE } = Mocha.Suite.constants;
  for (const file of files) {
    mocha.suite.emit(EVENT_FILE_PRE_REQUIRE, globalThis, file, mocha);
    try {
      const mod = await import(pathToFileURL(file).href);
      mocha.suite.emit(EVENT_FILE_REQUIRE, mod, file, mocha);
    } catch (err) {
      const suite = Mocha.Suite.create(mocha.suite, relative(root, file));
      suite.addTest(new Mocha.Test('loads', () => { throw err; }));
    }
    mocha.suite.emit(EVENT_FILE_POST_REQUIRE, globalThis, file, mocha);
  }
}

/** Print the summary as the very last line, then exit once it is written. */
function finish({ passes = 0, failures = 0, pending = 0 }) {
  const skipped = pending > 0 ? `, ${pending} skipped` : '';
  const code = failures > 0 || passes + failures === 0 ? 1 : 0;
  // Exit explicitly: a test that leaks a socket or timer must not hang CI or print after us.
  process.stdout.write(`${passes} passed, ${failures} failed${skipped}\n`, () => process.exit(code));
}

const files = select(allTestFiles(), positionals);
if (files.length === 0) {
  process.stderr.write('run-tests: no test files found (did `npm run build` run?)\n');
  finish({});
} else {
  const mocha = new Mocha({
    reporter: 'spec',
    timeout: Number(opts.timeout),
    bail: opts.bail,
    forbidOnly: Boolean(process.env.CI),
    ...(opts.grep ? { grep: opts.grep } : {}),
  });
  mocha.lazyLoadFiles(true);
  await load(mocha, files);
  const runner = mocha.run(() => finish(runner.stats ?? {}));
}
