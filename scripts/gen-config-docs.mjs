#!/usr/bin/env node
// Writes the plugin reference of docs/CONFIGURATION.md — every service type, test, protocol,
// action and setting of the built plugins, with their option docs — between the markers
// below. Reads plugins/*/dist/index.js (run `npx tsc -b` first).
//
//   node scripts/gen-config-docs.mjs           rewrite the section
//   node scripts/gen-config-docs.mjs --check   exit 1 when the section is out of date (CI)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(root, 'docs', 'CONFIGURATION.md');
const BEGIN = '<!-- BEGIN GENERATED: plugin reference (scripts/gen-config-docs.mjs) -->';
const END = '<!-- END GENERATED: plugin reference -->';
const KINDS = [
  ['service-type', 'Service types', 'the words after `check`'],
  ['test', 'Tests', 'the words after `if [failed|succeeded|changed]`'],
  ['protocol', 'Protocols', 'the names after `protocol`'],
  ['action', 'Actions', 'the words after `then` / `else`'],
  ['setting', 'Settings', 'the words after `set`'],
];

/** Table cells: no pipes or newlines. */
const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function optionsText(options) {
  const entries = Object.entries(options ?? {});
  if (entries.length === 0) return '';
  return entries.map(([name, o]) => {
    const extra = [o.type, o.values ? o.values.join('/') : undefined, o.default !== undefined ? `default ${o.default}` : undefined].filter(Boolean).join(', ');
    return `\`${name}\` (${extra}): ${o.description}`;
  }).join('<br>');
}

function words(def) {
  switch (def.kind) {
    case 'service-type': return def.keywords.map((k) => `\`check ${k}\``).join(' ');
    case 'test': {
      const pols = def.polarities.map((p) => (p === 'none' ? '' : `${p} `));
      return def.keywords.map((k) => pols.map((p) => `\`if ${p}${k}\``).join(' ')).join(' ');
    }
    case 'protocol': return `\`protocol ${def.name}\`${def.defaultPort ? ` (port ${def.defaultPort}${def.transport === 'udp' ? ', udp' : ''})` : ''}`;
    case 'action': return def.keywords.map((k) => `\`${k}\``).join(' ');
    case 'setting': return def.keywords.map((k) => `\`set ${k}\``).join(' ');
    default: return '';
  }
}

/** The generated Markdown for every built plugin, in folder order. */
export async function generate() {
  const plugins = readdirSync(join(root, 'plugins')).sort();
  const rows = new Map(KINDS.map(([kind]) => [kind, []]));
  for (const name of plugins) {
    const entry = join(root, 'plugins', name, 'dist', 'index.js');
    if (!existsSync(entry)) throw new Error(`plugins/${name} is not built (run npx tsc -b)`);
    const plugin = (await import(pathToFileURL(entry).href)).default;
    for (const def of plugin.definitions) {
      const list = rows.get(def.kind);
      if (!list) continue;
      const where = def.kind === 'test' ? def.serviceTypes.join(', ') : '';
      list.push(`| ${words(def)} | ${def.kind === 'test' ? `${cell(where)} | ` : ''}${cell(def.summary)} | ${cell(optionsText(def.options))} | [\`${name}\`](../plugins/${name}/README.md) |`);
    }
  }
  const out = [BEGIN, '', '_Generated from the plugins\' definitions; do not edit by hand._', ''];
  for (const [kind, title, what] of KINDS) {
    out.push(`### ${title}`, '', `${title} of the built-in plugins: ${what}.`, '');
    out.push(kind === 'test' ? '| written | services | what | options | plugin |' : '| written | what | options | plugin |');
    out.push(kind === 'test' ? '|---|---|---|---|---|' : '|---|---|---|---|');
    out.push(...rows.get(kind), '');
  }
  out.push(END);
  return out.join('\n');
}

const check = process.argv.includes('--check');
const doc = readFileSync(DOC, 'utf8');
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start < 0 || end < start) {
  console.error(`${DOC}: markers not found`);
  process.exit(1);
}
const next = doc.slice(0, start) + (await generate()) + doc.slice(end + END.length);
if (check) {
  if (next !== doc) {
    console.error('docs/CONFIGURATION.md is out of date: run node scripts/gen-config-docs.mjs');
    process.exit(1);
  }
} else if (next !== doc) {
  writeFileSync(DOC, next);
}
