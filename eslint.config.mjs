// Lint for warden: typescript-eslint's recommended rules (not type-checked, to stay fast)
// plus the import boundaries of docs/ARCHITECTURE.md, as errors with no exception lists:
//   sdk      imports nothing of ours and not tsyringe;
//   plugins  import @warden/sdk and their own npm dependencies, never core, never each other;
//   core     never imports a plugin; tsyringe only in the composition root (core/src/di/).
// Package names are fenced with ESLint's built-in `no-restricted-imports`; relative and
// absolute paths that leave a package are caught by the small local rule below, because
// a glob cannot tell `../define.js` (inside sdk) from `../../core/x.js` at every depth.
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));

/** The package folder a source file belongs to: `sdk`, `core`, `test` or `plugins/<name>`. */
function packageRoot(file) {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'plugins' && parts.length > 2) return join(root, 'plugins', parts[1]);
  if (['sdk', 'core', 'test'].includes(parts[0]) && parts.length > 1) return join(root, parts[0]);
  return undefined;
}

/** `warden/stay-in-package`: a relative or absolute import must resolve inside its own package. */
const stayInPackage = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative or absolute import paths that leave the importing package' },
    messages: {
      leaves: "'{{spec}}' leaves {{pkg}}/: import another package by its name, and only where docs/ARCHITECTURE.md allows it",
    },
    schema: [],
  },
  create(context) {
    const pkg = packageRoot(context.filename);
    if (!pkg) return {};
    const check = (source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      let target;
      if (spec.startsWith('file:')) target = fileURLToPath(spec);
      else if (spec.startsWith('.')) target = resolve(dirname(context.filename), spec);
      else if (isAbsolute(spec)) target = spec;
      else return;
      const rel = relative(pkg, target);
      if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return;
      context.report({ node: source, messageId: 'leaves', data: { spec, pkg: relative(root, pkg) } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

const NO_CORE = {
  name: '@warden/core',
  message: 'Only core may use core: sdk and plugins reach it through the @warden/sdk contract.',
};
const NO_CORE_SUBPATH = {
  group: ['@warden/core/*'],
  message: 'Only core may use core: sdk and plugins reach it through the @warden/sdk contract.',
};
const NO_PLUGIN = {
  group: ['@warden/plugin-*', '@warden/plugin-*/*'],
  message: 'Plugins are loaded by name through the plugin host, never imported: core and other plugins must not depend on one.',
};
const NO_TSYRINGE_HERE = {
  name: 'tsyringe',
  message: 'tsyringe lives only in the composition root (core/src/di/): use plain constructors and register them there.',
};

const restrict = (paths, patterns) => ['error', { paths, patterns }];

export default defineConfig(
  globalIgnores(['**/dist/**', '**/node_modules/**', '**/*.generated.ts', 'bench/results/**']),

  {
    name: 'warden/typescript',
    files: ['sdk/src/**/*.ts', 'core/src/**/*.ts', 'plugins/*/src/**/*.ts', 'test/**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { warden: { rules: { 'stay-in-package': stayInPackage } } },
    rules: {
      'warden/stay-in-package': 'error',
      // sdk's `Definition` union uses `any` on purpose (variance over plugin option types).
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': 'error',
    },
  },

  {
    name: 'warden/boundaries/sdk',
    files: ['sdk/src/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([NO_CORE, NO_TSYRINGE_HERE], [NO_CORE_SUBPATH, NO_PLUGIN]) },
  },
  {
    name: 'warden/boundaries/plugins',
    files: ['plugins/*/src/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([NO_CORE, NO_TSYRINGE_HERE], [NO_CORE_SUBPATH, NO_PLUGIN]) },
  },
  {
    name: 'warden/boundaries/core',
    files: ['core/src/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([NO_TSYRINGE_HERE], [NO_PLUGIN]) },
  },
  {
    // The composition root: the one place that knows implementations and the container.
    name: 'warden/boundaries/core-di',
    files: ['core/src/di/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([], [NO_PLUGIN]) },
  },

  {
    // The CLI prints to the terminal; tests may print too.
    name: 'warden/console-allowed',
    files: ['core/src/cli/**/*.ts', '**/*.test.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
