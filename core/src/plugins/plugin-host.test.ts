import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isParseError, type Plugin } from '@warden/sdk';
import { PluginHost } from './plugin-host.js';
import { registerPreloaded } from './preloaded.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** One definition of a plugin, as the JavaScript that builds it with the sdk. */
type Def = string;
const serviceType = (name: string, keywords = [name]): Def =>
  `defineServiceType({ name: '${name}', summary: 's', keywords: ${JSON.stringify(keywords)}, monitType: 'file', parseTarget: () => ({}) })`;
const test = (name: string, keywords: string[], types = ['file'], polarities = ['none']): Def =>
  `defineTest({ name: '${name}', summary: 's', serviceTypes: ${JSON.stringify(types)}, keywords: ${JSON.stringify(keywords)}, polarities: ${JSON.stringify(polarities)}, event: 'status', codes: {}, parse: () => ({}), run: () => ok('') })`;
const action = (name: string, keywords = [name]): Def =>
  `defineAction({ name: '${name}', summary: 's', keywords: ${JSON.stringify(keywords)}, parse: () => ({}), run: async () => ({ status: 'done', message: '' }) })`;
const protocol = (name: string): Def => `defineProtocol({ name: '${name}', summary: 's', speak: async () => ok('') })`;
const setting = (name: string, keywords = [name]): Def =>
  `defineSetting({ name: '${name}', summary: 's', keywords: ${JSON.stringify(keywords)}, parse: () => ({}) })`;

/** The manifest id of a definition written by the helpers above. */
function idOf(def: Def): string {
  const kind = /define(\w+)\(/.exec(def)![1]!;
  const name = /name: '([^']+)'/.exec(def)![1]!;
  return `${kind === 'ServiceType' ? 'service-type' : kind.toLowerCase()}:${name}`;
}

describe('PluginHost', () => {
  let dir: string;
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'warden-host-')));
    // Plugins in the temporary folder import @warden/sdk the way an installed one would.
    mkdirSync(join(dir, 'node_modules/@warden'), { recursive: true });
    symlinkSync(join(ROOT, 'sdk'), join(dir, 'node_modules/@warden/sdk'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Write a plugin folder; `manifest` overrides the generated `warden` field. */
  function plugin(name: string, defs: Def[], opts: { manifest?: unknown; code?: string; pkg?: string } = {}): string {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    const manifest = opts.manifest ?? { apiVersion: 1, contributes: defs.map(idOf) };
    writeFileSync(join(folder, 'package.json'), opts.pkg ?? JSON.stringify({ name, type: 'module', main: 'index.js', warden: manifest }));
    const code = opts.code ??
      `import { definePlugin, defineServiceType, defineTest, defineAction, defineProtocol, defineSetting, ok } from '@warden/sdk';\n` +
      `export default definePlugin([${defs.join(',\n')}]);\n`;
    writeFileSync(join(folder, 'index.js'), code);
    return folder;
  }

  async function loadError(host: PluginHost, spec: string, pos?: { file: string; line: number }): Promise<string> {
    try {
      await host.load(spec, pos);
    } catch (err) {
      if (pos) assert.ok(isParseError(err), 'a positioned error is a ParseError');
      return String(err);
    }
    throw new Error(`expected loading ${spec} to fail`);
  }

  it('loads a plugin by path and registers its definitions', async () => {
    const folder = plugin('p-path', [serviceType('widget', ['widget', 'gadget']), test('widget.alive', ['alive', 'Up']), action('poke', ['poke', 'prod']), protocol('Wire'), setting('knob')]);
    const host = new PluginHost();
    const loaded = await host.load(folder);
    assert.equal(loaded?.packageName, 'p-path');
    assert.equal(loaded?.dir, folder);
    assert.equal(loaded?.definitions.length, 5);
    assert.deepEqual(host.loaded.map((p) => p.packageName), ['p-path']);
    // every lookup is case-insensitive
    assert.equal(host.serviceType('GADGET')?.name, 'widget');
    assert.equal(host.test('file', 'none', 'UP')?.name, 'widget.alive');
    assert.equal(host.test('file', 'failed', 'up'), undefined, 'other polarity');
    assert.equal(host.test('process', 'none', 'up'), undefined, 'other service type');
    assert.ok(host.isTestKeyword('Alive'));
    assert.ok(!host.isTestKeyword('dead'));
    assert.equal(host.action('PROD')?.name, 'poke');
    assert.equal(host.protocol('wire')?.name, 'Wire');
    assert.equal(host.setting('KNOB')?.name, 'knob');
    assert.equal(host.action('nothing'), undefined);
  });

  it('loads relative paths from baseDir, and a folder twice is a no-op (also through a symlink)', async () => {
    const folder = plugin('p-twice', [action('twice')]);
    symlinkSync(folder, join(dir, 'p-twice-link'));
    const host = new PluginHost();
    assert.ok(await host.load('./p-twice', undefined, dir));
    assert.equal(await host.load(folder), undefined);
    assert.equal(await host.load(join(dir, 'p-twice-link')), undefined);
    assert.equal(host.loaded.length, 1);
  });

  it('loads a package by name: the built-in @warden/plugin-file', async () => {
    const host = new PluginHost();
    const loaded = await host.load('@warden/plugin-file');
    assert.equal(loaded?.packageName, '@warden/plugin-file');
    assert.equal(loaded?.dir, join(ROOT, 'plugins/file'));
    assert.equal(host.serviceType('file')?.name, 'file');
    assert.equal(await host.load(join(ROOT, 'plugins/file')), undefined, 'the same folder by path');
    assert.match(await loadError(host, '@warden/plugin-nonexistent'), /cannot load plugin '@warden\/plugin-nonexistent': package not found/);
  });


  describe('a built-in the bundle registered', () => {
    it('loads from the registered package.json and folder, resolving and reading nothing', async () => {
      const folder = plugin('p-bundled', [action('bundled')]);
      const { default: code } = (await import(pathToFileURL(join(folder, 'index.js')).href)) as { default: Plugin };
      const registered = { name: 'p-bundled-pkg', main: 'index.js', warden: { apiVersion: 1, contributes: ['action:bundled'] } };
      // What is on disk would not load: only the registered manifest is read.
      writeFileSync(join(folder, 'package.json'), '{ broken');
      registerPreloaded('p-bundled-pkg', code, pathToFileURL(`${folder}/`), registered);
      const host = new PluginHost();
      const loaded = await host.load('p-bundled-pkg');
      assert.equal(loaded?.packageName, 'p-bundled-pkg');
      assert.equal(loaded?.dir, folder);
      assert.equal(host.action('bundled')?.name, 'bundled');
      assert.equal(await host.load(folder), undefined, 'the same folder by path');
    });

    it('checks the registered manifest as it would the file', async () => {
      const folder = plugin('p-bundled-old', [action('old')]);
      const { default: code } = (await import(pathToFileURL(join(folder, 'index.js')).href)) as { default: Plugin };
      registerPreloaded('p-bundled-old', code, pathToFileURL(`${folder}/`), { name: 'p-bundled-old', warden: { apiVersion: 99, contributes: [] } });
      assert.match(await loadError(new PluginHost(), 'p-bundled-old'), /plugin 'p-bundled-old' is written for plugin API version 99/);
    });

    it('moved since the bundle was built: the package is looked up by name', async () => {
      const folder = plugin('p-bundled-moved', [action('moved')]);
      const { default: code } = (await import(pathToFileURL(join(folder, 'index.js')).href)) as { default: Plugin };
      registerPreloaded('p-bundled-moved', code, pathToFileURL(join(dir, 'gone/')), { name: 'p-bundled-moved', warden: { apiVersion: 1, contributes: ['action:moved'] } });
      assert.match(await loadError(new PluginHost(), 'p-bundled-moved'), /cannot load plugin 'p-bundled-moved': package not found/);
    });
  });
  describe('refuses broken packages', () => {
    const cases: Array<[string, () => string, RegExp]> = [
      ['a folder without package.json', () => { mkdirSync(join(dir, 'empty'), { recursive: true }); return join(dir, 'empty'); }, /cannot load plugin '.*empty': no package\.json in /],
      ['invalid JSON', () => plugin('bad-json', [], { pkg: '{ "name": ' }), /bad-json\/package\.json is not valid JSON/],
      ['no manifest', () => plugin('no-manifest', [], { pkg: JSON.stringify({ name: 'no-manifest' }) }), /plugin 'no-manifest' has no warden manifest in .*"apiVersion": 1/],
      ['a manifest for another API version', () => plugin('api2', [action('a2')], { manifest: { apiVersion: 2, contributes: ['action:a2'] } }), /plugin 'api2' is written for plugin API version 2; this warden supports version 1/],
      ['contributes not a list of strings', () => plugin('contrib', [], { manifest: { apiVersion: 1, contributes: 'x' } }), /"warden\.contributes" .* must be a list of strings/],
      ['a module built for another API version', () => plugin('mod2', [], { code: 'export default { apiVersion: 3, definitions: [] };' }), /plugin 'mod2' was built with plugin API version 3/],
      ['no default export', () => plugin('nodefault', [], { code: 'export const x = 1;' }), /must default-export definePlugin/],
      ['a module that does not load', () => plugin('throws', [], { code: 'throw new Error("boom");' }), /cannot load plugin 'throws' from .*index\.js: boom/],
      ['a manifest that does not match the code', () => plugin('mismatch', [action('real')], { manifest: { apiVersion: 1, contributes: ['action:declared'] } }),
        /plugin 'mismatch': its manifest does not match its code; declared but not exported: action:declared; exported but not declared: action:real/],
    ];
    for (const [title, make, expected] of cases) {
      it(title, async () => {
        const spec = make();
        const host = new PluginHost();
        assert.match(await loadError(host, spec), expected);
        assert.equal(host.loaded.length, 0);
      });
    }
  });

  describe('refuses a word two plugins claim, naming both packages', () => {
    const cases: Array<[string, Def, Def, RegExp]> = [
      ['the same definition', action('dup'), action('dup'), /duplicate plugin definition 'action:dup': provided by both 'first-\d' and 'second-\d'/],
      ['a service-type keyword', serviceType('one', ['thing']), serviceType('two', ['THING']), /'check THING' is claimed by both 'first-\d' and 'second-\d'/],
      ['a test keyword for the same type and polarity', test('a.t', ['up'], ['file', 'fifo'], ['none', 'failed']), test('b.t', ['UP'], ['fifo'], ['failed']),
        /test keyword clash: 'b\.t' from 'second-\d' and 'a\.t' from 'first-\d' claim the same words/],
      ['an action keyword', action('act1', ['kick']), action('act2', ['kick']), /action 'kick' is claimed by both 'first-\d' and 'second-\d'/],
      ['a protocol name in another case', protocol('redis'), protocol('REDIS'), /protocol 'REDIS' is claimed by both 'first-\d' and 'second-\d'/],
      ['a setting keyword', setting('s1', ['mailserver']), setting('s2', ['mailserver']), /'set mailserver' is claimed by both 'first-\d' and 'second-\d'/],
    ];
    let n = 0;
    for (const [title, a, b, expected] of cases) {
      it(title, async () => {
        n++;
        const host = new PluginHost();
        await host.load(plugin(`first-${n}`, [a]));
        // The second plugin's other definition must not stay registered after the refusal.
        assert.match(await loadError(host, plugin(`second-${n}`, [action(`extra${n}`), b])), expected);
        assert.equal(host.action(`extra${n}`), undefined, 'a failed load registers nothing');
        assert.deepEqual(host.loaded.map((p) => p.packageName), [`first-${n}`]);
      });
    }

    it('the same keyword for another polarity or service type is no clash', async () => {
      const host = new PluginHost();
      await host.load(plugin('pol-a', [test('pa.t', ['exist'], ['file'], ['none'])]));
      await host.load(plugin('pol-b', [test('pb.t', ['exist'], ['file'], ['failed']), test('pc.t', ['exist'], ['process'], ['none'])]));
      assert.equal(host.test('file', 'none', 'exist')?.name, 'pa.t');
      assert.equal(host.test('file', 'failed', 'exist')?.name, 'pb.t');
      assert.equal(host.test('process', 'none', 'exist')?.name, 'pc.t');
    });
  });

  it('positions errors at the load statement when given', async () => {
    const host = new PluginHost();
    assert.equal(
      await loadError(host, '/nonexistent/plugin', { file: '/etc/monitrc', line: 7 }),
      `/etc/monitrc:7: cannot load plugin '/nonexistent/plugin': no package.json in /nonexistent/plugin`,
    );
    const plain = await loadError(host, '/nonexistent/plugin');
    assert.ok(!plain.includes('monitrc'), plain);
  });
});
