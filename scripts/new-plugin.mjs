#!/usr/bin/env node
// Scaffolds a plugin folder with the skeleton every plugin shares (docs/STYLE.md rule 1):
//   plugins/<name>/package.json      @warden/plugin-<name> with its `warden` manifest
//   plugins/<name>/README.md         what it checks, a monitrc example, options, failure codes
//   plugins/<name>/tsconfig.json     project reference to the sdk
//   plugins/<name>/src/index.ts      the default export: definePlugin([...])
//   plugins/<name>/src/<name>.ts     one example test definition (keyword <name>, on `check host`)
//   plugins/<name>/src/<name>.test.ts  a test that fails until the probe is written
// then regenerates the lists adding a plugin changes (scripts/gen-builtins.mjs).
//
//   npm run new -- <plugin-name>      kebab-case: redis-info, disk-temp
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: npm run new -- <plugin-name>   (kebab-case, e.g. redis-info)';
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function die(message) {
  console.error(message);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes('-h') || args.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length !== 1) die(`new-plugin: expected exactly one plugin name\n${USAGE}`);
const name = args[0];
if (!KEBAB.test(name)) {
  die(`new-plugin: '${name}' is not a valid plugin name: use kebab-case (lower-case letters and digits, words joined by '-', starting with a letter)\n${USAGE}`);
}
const dir = join(root, 'plugins', name);
if (existsSync(dir)) die(`new-plugin: plugins/${name} already exists; choose another name or edit that plugin`);

const camel = name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = camel[0].toUpperCase() + camel.slice(1);
const testName = `${name}.check`;
const testConst = `${camel}Test`;
const optionsType = `${pascal}Options`;

const packageJson = {
  name: `@warden/plugin-${name}`,
  version: '0.1.0',
  description: `warden plugin: the '${name}' test for check host services`,
  type: 'module',
  license: 'MIT',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  files: ['dist'],
  engines: { node: '>=20.19' },
  scripts: { build: 'tsc -b', test: "mocha 'dist/**/*.test.js'" },
  dependencies: { '@warden/sdk': '0.1.0' },
  warden: { apiVersion: 1, contributes: [`test:${testName}`] },
};

const tsconfig = {
  extends: '../../tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist' },
  include: ['src'],
  references: [{ path: '../../sdk' }],
};

const readme = `# @warden/plugin-${name}

Adds the \`${name}\` test to \`check host\` services: \`if failed ${name}\` fires when the
${name} check of the host fails, \`if succeeded ${name}\` when it passes. Each cycle the probe
checks the host once and reports \`ok\` or a failure code below; the rule engine turns that into
events of class \`connection\` (\`Connection failed\` / \`Connection succeeded\`).

## Example

\`\`\`monitrc
check host example with address 127.0.0.1
  if failed ${name} then alert
  if failed ${name} argument "strict" for 3 cycles then alert
\`\`\`

## Options

| option | type | default | description |
|---|---|---|---|
| \`argument\` | string | (none) | A quoted value handed to the ${name} probe. |

## Failure codes

| code | when |
|---|---|
| \`${name}.failed\` | the ${name} check found the host unhealthy |
| \`${name}.not-implemented\` | the probe of this freshly scaffolded plugin has not been written yet |
`;

const indexTs = `import { definePlugin } from '@warden/sdk';
import { ${testConst} } from './${name}.js';

export default definePlugin([${testConst}]);
`;

const testTs = `import { defineTest, fail, type ProbeResult } from '@warden/sdk';

/** What \`if failed ${name} [argument "TEXT"]\` parses to. */
export interface ${optionsType} {
  readonly argument?: string;
}

/**
 * \`if failed|succeeded ${name} [argument "TEXT"] [rate] then ACTION\` on a \`check host\` service.
 * The probe reports \`ok\` when the host passes the ${name} check and \`${name}.failed\` when
 * it does not; \`if succeeded\` inverts the verdict.
 */
export const ${testConst} = defineTest<${optionsType}>({
  name: '${testName}',
  summary: 'The ${name} check of a host',
  serviceTypes: ['host'],
  keywords: ['${name}'],
  polarities: ['failed', 'succeeded'],
  event: 'connection',
  codes: {
    '${name}.failed': 'the ${name} check found the host unhealthy',
    '${name}.not-implemented': 'the probe has not been written yet',
  },
  options: {
    argument: { type: 'string', description: 'A quoted value handed to the probe.' },
  },
  parse(ts, ctx) {
    ts.expect('${name}');
    const argument = ts.accept('argument') ? ts.string('a quoted argument') : undefined;
    return {
      options: argument === undefined ? {} : { argument },
      condition: { kind: 'state', invert: ctx.polarity === 'succeeded' },
      describe: \`\${ctx.polarity} ${name}\${argument === undefined ? '' : \` argument "\${argument}"\`}\`,
    };
  },
  run(ctx): ProbeResult {
    // Write the probe here: pass ctx.signal to every I/O call and return ok(...) or
    // fail('${name}.failed', ...); the runner owns the deadline.
    return fail('${name}.not-implemented', \`the ${name} probe is not implemented yet (service \${ctx.service.name})\`);
  },
});
`;

const specTs = `import assert from 'node:assert/strict';
import { parseTest, runProbe } from '@warden/sdk/testing';
import { ${testConst} } from './${name}.js';

describe('${testName}', () => {
  it('parses \`failed ${name}\` with an optional argument', () => {
    const plain = parseTest(${testConst}, '${name}', { polarity: 'failed' });
    assert.deepEqual(plain.options, {});
    assert.deepEqual(plain.condition, { kind: 'state', invert: false });
    const withArgument = parseTest(${testConst}, '${name} argument "strict"', { polarity: 'succeeded' });
    assert.deepEqual(withArgument.options, { argument: 'strict' });
    assert.deepEqual(withArgument.condition, { kind: 'state', invert: true });
  });

  it('reports ok for a healthy host', async () => {
    const { result } = await runProbe(${testConst}, {
      options: {},
      target: undefined,
      service: { name: 'example', type: 'host' },
    });
    assert.equal(result.status, 'ok', \`the probe is not written yet: \${result.message}\`);
  });
});
`;

const files = {
  'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
  'README.md': readme,
  'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
  'src/index.ts': indexTs,
  [`src/${name}.ts`]: testTs,
  [`src/${name}.test.ts`]: specTs,
};

mkdirSync(join(dir, 'src'), { recursive: true });
for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);

const gen = spawnSync(process.execPath, [join(root, 'scripts', 'gen-builtins.mjs')], { stdio: 'inherit' });
if (gen.status !== 0) die('new-plugin: scripts/gen-builtins.mjs failed; run it again once the error above is fixed');

console.log(`Created plugins/${name}/ (@warden/plugin-${name}):
${Object.keys(files).map((f) => `  plugins/${name}/${f}`).join('\n')}
Next:
  npm install                                  (links the new workspace)
  npx tsc -b plugins/${name}
  node scripts/run-tests.mjs plugins/${name}/dist
Its test fails until src/${name}.ts has a real probe.`);
