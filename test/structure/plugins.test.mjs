// Structure test over plugins/*: every plugin folder has the same skeleton (docs/STYLE rule 1),
// its manifest matches what its code exports, and the generated lists are up to date.
// Plain JS so it needs no build of its own; it imports each plugin's built `dist/index.js`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pluginsDir = join(root, 'plugins');

const folders = existsSync(pluginsDir)
  ? readdirSync(pluginsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  : [];

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

describe('structure: plugins/*', () => {
  it('scripts/gen-builtins.mjs --check: the generated plugin lists are up to date', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts/gen-builtins.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  for (const folder of folders) {
    describe(`plugins/${folder}`, () => {
      const dir = join(pluginsDir, folder);
      const at = (...parts) => join(dir, ...parts);

      it('is named in kebab-case', () => {
        assert.match(folder, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      });

      it(`has package.json named @warden/plugin-${folder} with a warden manifest`, () => {
        assert.ok(existsSync(at('package.json')), 'package.json is missing');
        const pkg = readJson(at('package.json'));
        assert.equal(pkg.name, `@warden/plugin-${folder}`);
        assert.equal(pkg.type, 'module', 'plugins are ES modules: "type": "module"');
        assert.equal(pkg.warden?.apiVersion, 1, 'manifest "warden": { "apiVersion": 1 } is missing');
        assert.ok(Array.isArray(pkg.warden.contributes) && pkg.warden.contributes.length > 0, 'manifest "contributes" is empty');
      });

      it('depends on @warden/sdk and on no other warden package', () => {
        const pkg = readJson(at('package.json'));
        const deps = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies };
        assert.ok('@warden/sdk' in deps, '@warden/sdk must be a dependency or peer dependency');
        const ours = Object.keys(deps).filter((d) => d.startsWith('@warden/') && d !== '@warden/sdk');
        assert.deepEqual(ours, [], 'a plugin depends only on @warden/sdk among warden packages');
      });

      it('has tsconfig.json, src/index.ts and at least one src/*.test.ts', () => {
        for (const file of ['tsconfig.json', 'src/index.ts']) assert.ok(existsSync(at(file)), `${file} is missing`);
        const tests = existsSync(at('src')) ? readdirSync(at('src')).filter((f) => f.endsWith('.test.ts')) : [];
        assert.ok(tests.length > 0, 'no src/*.test.ts');
      });

      it('has README.md with a monitrc example and an options or failure codes section', () => {
        assert.ok(existsSync(at('README.md')), 'README.md is missing');
        const readme = readFileSync(at('README.md'), 'utf8');
        assert.match(readme, /^```monitrc\s*$/m, 'README.md needs a ```monitrc example block');
        assert.match(readme, /^#{2,}\s.*(options|codes)/im, 'README.md needs an "Options" or "Failure codes" section');
      });

      describe('dist/index.js', () => {
        let plugin;
        let pkg;
        before(async function () {
          pkg = readJson(at('package.json'));
          const entry = at('dist', 'index.js');
          assert.ok(existsSync(entry), `plugins/${folder}/dist/index.js is missing: run npm run build`);
          plugin = (await import(pathToFileURL(entry).href)).default;
        });

        it('default-exports a plugin of API version 1', () => {
          assert.equal(typeof plugin, 'object', 'the entry has no default export');
          assert.equal(plugin.apiVersion, 1);
          assert.ok(Array.isArray(plugin.definitions));
        });

        it('exports exactly the definitions its manifest contributes', () => {
          const ids = plugin.definitions.map((d) => `${d.kind}:${d.name}`);
          assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate definitions');
          assert.deepEqual([...ids].sort(), [...pkg.warden.contributes].sort());
        });

        it(`declares every test's failure codes as ${folder}.<reason>, each documented in README.md`, () => {
          const readme = readFileSync(at('README.md'), 'utf8');
          const pattern = new RegExp(`^${folder.replace(/-/g, '\\-')}\\.[a-z0-9]+([-_.][a-z0-9]+)*$`);
          for (const def of plugin.definitions.filter((d) => d.kind === 'test')) {
            assert.equal(typeof def.codes, 'object', `test ${def.name} declares no codes`);
            for (const [code, line] of Object.entries(def.codes)) {
              assert.match(code, pattern, `test ${def.name}: code '${code}' is not ${folder}.<reason>`);
              assert.ok(typeof line === 'string' && line.length > 0, `code '${code}' needs a one-line description`);
              assert.ok(readme.includes(code), `code '${code}' is not documented in README.md`);
            }
          }
        });

        it('documents every declared option in README.md', () => {
          const readme = readFileSync(at('README.md'), 'utf8');
          for (const def of plugin.definitions) {
            for (const option of Object.keys(def.options ?? {})) {
              assert.ok(readme.includes(option), `${def.kind} ${def.name}: option '${option}' is not in README.md`);
            }
          }
        });
      });
    });
  }
});
