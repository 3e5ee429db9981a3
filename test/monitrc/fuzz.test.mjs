// Fuzzing the monitrc parser: random mutations of the real-world fixtures (seeded, so a
// failure is reproducible) must either parse or fail with a positioned error — a
// ParseError (`FILE:LINE: …`) or a ControlFileError — never a TypeError, a stack trace
// or a hang. In-process, with the built-in plugins registered once.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenize } from '@warden/sdk';
import { ROOT } from '../e2e/harness.mjs';
import { PluginHost } from '../../core/dist/plugins/plugin-host.js';
import { loadBuiltins } from '../../core/dist/plugins/load-builtins.js';
import { parseMonitrc } from '../../core/dist/config/monitrc/parser.js';
import { ACCEPTED } from './reference-cases.mjs';

const MUTATIONS = Number(process.env.FUZZ_MUTATIONS ?? 3000);
const FIXTURES = join(ROOT, 'test', 'fixtures', 'monitrc');
/** Words and characters a mutation may insert: keywords, units, operators and lexer specials. */
const VOCABULARY = [
  'check', 'set', 'if', 'then', 'else', 'failed', 'succeeded', 'changed', 'not', 'every', 'depends', 'group', 'mode',
  'alert', 'restart', 'exec', 'timeout', 'port', 'protocol', 'http', 'ssl', 'cycles', 'within', 'times', '{', '}',
  '"', "'", '@', ':', '(', ')', ',', ';', '%', '>', '!=', '=', '0', '-5', '99999999999999999999', '1.5', 'MB', 'ms',
  '/', '/tmp', '$HOST', 'include', 'load', 'process', 'file', 'host', 'program', 'system', 'with', 'path', 'pidfile',
  'status', 'content', 'checksum', 'expect', 'send', 'url', 'http://a:b@c:1/d', 'ping', 'space', 'cpu', '\\', '\n',
];

/** Mulberry32: a small seeded PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text, rand) {
  const parts = text.split(/(\s+)/);
  const pick = (n) => Math.floor(rand() * n);
  const count = 1 + pick(4);
  for (let k = 0; k < count; k++) {
    const i = pick(parts.length);
    switch (pick(7)) {
      case 0: parts.splice(i, 1); break;
      case 1: parts.splice(i, 0, parts[pick(parts.length)] ?? ''); break;
      case 2: parts.splice(i, 0, ` ${VOCABULARY[pick(VOCABULARY.length)]} `); break;
      case 3: parts[i] = VOCABULARY[pick(VOCABULARY.length)]; break;
      case 4: { const j = pick(parts.length); [parts[i], parts[j]] = [parts[j], parts[i]]; break; }
      case 5: parts.length = i; break;
      default: {
        const p = parts[i] ?? '';
        const at = pick(p.length + 1);
        parts[i] = p.slice(0, at) + VOCABULARY[pick(VOCABULARY.length)] + p.slice(at);
      }
    }
  }
  return parts.join('');
}

describe('monitrc: fuzzing the parser', function () {
  this.timeout(60_000);
  let host;
  before(async () => {
    host = new PluginHost();
    await loadBuiltins(host);
  });

  it(`${MUTATIONS} mutations of the fixtures: parsed or a positioned error, each in < 1 s`, () => {
    const seeds = [
      ...readdirSync(FIXTURES).map((f) => readFileSync(join(FIXTURES, f), 'utf8')),
      ...ACCEPTED.map((c) => c.text.replaceAll('@MV@', '/tmp/warden-fuzz-none')),
    ];
    const rand = prng(0x5eed);
    const outcomes = { parsed: 0, ParseError: 0, ControlFileError: 0 };
    for (let n = 0; n < MUTATIONS; n++) {
      const text = mutate(seeds[Math.floor(rand() * seeds.length)], rand);
      const started = performance.now();
      try {
        parseMonitrc(tokenize(text, 'fuzz.rc'), '/fuzz.rc', host, { hostname: () => 'fuzz' });
        outcomes.parsed++;
      } catch (e) {
        if (e?.name === 'WardenParseError') {
          assert.equal(typeof e.line, 'number');
          assert.ok(!/\n\s+at /.test(e.message), `stack in message: ${e.message}`);
          outcomes.ParseError++;
        } else if (e?.name === 'WardenControlFileError') {
          outcomes.ControlFileError++;
        } else {
          assert.fail(`mutation ${n} threw ${e?.stack ?? e}\n--- input ---\n${text}`);
        }
      }
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `mutation ${n} took ${Math.round(ms)} ms\n--- input ---\n${text}`);
    }
    if (process.env.FUZZ_VERBOSE) console.log(outcomes);
    // The mutations must exercise both outcomes, or the fuzzer tests nothing.
    assert.ok(outcomes.parsed > 50 && outcomes.ParseError > 500, JSON.stringify(outcomes));
  });
});
