// A probe written in a folder outside the repository, in TypeScript, importing only
// @warden/sdk, is loaded with `load "/that/folder"` and runs in the daemon's cycles.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, count, readText, startWarden, stopChild, tempDir, waitFor, warden, writeControlFile } from './harness.mjs';

const PROBE = `import { defineTest, definePlugin, ok, fail } from '@warden/sdk';

interface Options { readonly word: string }
interface FileTarget { readonly path: string; readonly stat: { readonly size: number } | null }

/** if contains "WORD": fails while the watched file holds the word. */
export const contains = defineTest<Options, FileTarget>({
  name: 'wordwatch.contains',
  summary: 'fails while a file contains a word',
  serviceTypes: ['file'],
  keywords: ['contains'],
  polarities: ['none'],
  event: 'content',
  codes: { 'wordwatch.found': 'the word is in the file' },
  parse(ts) {
    ts.expect('contains');
    const word = ts.string('a word');
    return { options: { word }, condition: { kind: 'state' }, describe: \`contains "\${word}"\` };
  },
  async run(ctx) {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(ctx.target.path, { encoding: 'utf8', signal: ctx.signal });
    ctx.log.debug(\`wordwatch read \${text.length} bytes\`);
    return text.includes(ctx.options.word)
      ? fail('wordwatch.found', \`word '\${ctx.options.word}' found\`)
      : ok(\`word '\${ctx.options.word}' not found\`);
  },
});

export default definePlugin([contains]);
`;

describe('a third-party plugin loaded by path', function () {
  this.timeout(60_000);
  let t;
  let handle;
  before(function () {
    t = tempDir('warden-plugin-');
    const dir = join(t.dir, 'wordwatch');
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@warden'), { recursive: true });
    // What `npm install @warden/sdk` gives a plugin author: the sdk package in node_modules.
    symlinkSync(join(ROOT, 'sdk'), join(dir, 'node_modules', '@warden', 'sdk'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'warden-plugin-wordwatch', version: '1.0.0', type: 'module', main: 'dist/index.js',
      peerDependencies: { '@warden/sdk': '^0.1.0' },
      warden: { apiVersion: 1, contributes: ['test:wordwatch.contains'] },
    }, null, 2));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, rootDir: 'src', outDir: 'dist', skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
      include: ['src'],
    }));
    writeFileSync(join(dir, 'src', 'index.ts'), PROBE);
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { stdio: 'pipe' });
    assert.ok(existsSync(join(dir, 'dist', 'index.js')));
  });
  after(async () => {
    if (handle) await stopChild(handle);
    t.cleanup();
  });

  it('parses with -t and runs in a cycle, failing and recovering with the file', async () => {
    const watched = join(t.dir, 'notes.txt');
    writeFileSync(watched, 'all quiet\n');
    const log = join(t.dir, 'warden.log');
    const file = writeControlFile(join(t.dir, 'monitrc'), [
      'set daemon 1',
      `set log ${log}`,
      `set pidfile ${join(t.dir, 'warden.pid')}`,
      `load "${join(t.dir, 'wordwatch')}"`,
      `check file notes with path ${watched}`,
      '  if contains "PANIC" then alert',
      '',
    ].join('\n'));
    const checked = warden(['-t', '-c', file]);
    assert.equal(checked.status, 0, checked.stderr);

    handle = startWarden(['-I', '-v', '-c', file]);
    await waitFor(() => /'notes' word 'PANIC' not found/.test(readText(log)), 15_000, 'a first check by the plugin');
    writeFileSync(watched, 'all quiet\nPANIC at the disco\n');
    await waitFor(() => /'notes' alert: Content failed -- word 'PANIC' found/.test(readText(log)), 15_000, 'the failure alert');
    writeFileSync(watched, 'calm again\n');
    await waitFor(() => /'notes' alert: Content succeeded -- word 'PANIC' not found/.test(readText(log)), 15_000, 'the recovery alert');
    const result = await stopChild(handle);
    handle = undefined;
    assert.equal(result.code, 0);
    assert.equal(count(readText(log), /error\s+: 'notes' word 'PANIC' found/), 1, 'the failure is logged once as an error');
    assert.ok(!existsSync(join(t.dir, 'warden.pid')), 'the pid file is removed on a clean stop');
  });
});
