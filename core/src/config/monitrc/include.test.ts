import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Token } from '@warden/sdk';
import { expandIncludes, MAX_INCLUDE_DEPTH } from './include.js';
import { fastGlob } from './load-control-file.js';

/** The significant words, each as `file:line:text` with the directory cut off. */
function words(tokens: readonly Token[], dir: string): string[] {
  return tokens.filter((t) => !t.noise && t.kind !== 'eof').map((t) => `${t.file.slice(dir.length + 1)}:${t.line}:${t.text}`);
}

describe('monitrc include expansion', () => {
  let dir: string;
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const expand = (name = 'monitrc') =>
    expandIncludes(join(dir, name), (p) => readFileSync(p, 'utf8'), fastGlob);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-include-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('splices an included file in place, keeping its file and line', () => {
    write('monitrc', 'set daemon 5\ninclude "/DIR/a.cfg"\nset log syslog\n'.replace('/DIR', dir));
    write('a.cfg', '\ncheck system s\n');
    const { tokens, warnings } = expand();
    assert.deepEqual(words(tokens, dir), [
      'monitrc:1:set', 'monitrc:1:daemon', 'monitrc:1:5',
      'a.cfg:2:check', 'a.cfg:2:system', 'a.cfg:2:s',
      'monitrc:3:set', 'monitrc:3:log', 'monitrc:3:syslog',
    ]);
    assert.deepEqual(warnings, []);
    assert.equal(tokens.filter((t) => t.kind === 'eof').length, 1);
    assert.equal(tokens[tokens.length - 1]?.kind, 'eof');
  });

  it('parses the files of one glob in reverse lexical order, skipping directories and backups', () => {
    mkdirSync(join(dir, 'conf.d'));
    mkdirSync(join(dir, 'conf.d', 'sub.cfg'));
    write('conf.d/10.cfg', 'ten');
    write('conf.d/20.cfg', 'twenty');
    write('conf.d/30.cfg~', 'backup');
    write('conf.d/.hidden.cfg', 'hidden');
    write('conf.d/05.cfg', 'five');
    write('monitrc', 'include conf.d/*');
    const { tokens, warnings } = expand();
    assert.deepEqual(words(tokens, dir), ['conf.d/20.cfg:1:twenty', 'conf.d/10.cfg:1:ten', 'conf.d/05.cfg:1:five']);
    assert.deepEqual(warnings, []);
  });

  it('resolves a relative glob from the including file\'s folder', () => {
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'a', 'b'));
    write('monitrc', 'include a/first.cfg');
    write('a/first.cfg', 'include "b/*.cfg"');
    write('a/b/x.cfg', 'x');
    assert.deepEqual(words(expand().tokens, dir), ['a/b/x.cfg:1:x']);
  });

  it('warns when a glob matches nothing and goes on', () => {
    write('monitrc', 'one\ninclude /nonexistent-warden/*.cfg\ntwo');
    const { tokens, warnings } = expand();
    assert.deepEqual(words(tokens, dir), ['monitrc:1:one', 'monitrc:3:two']);
    assert.deepEqual(warnings, [
      { file: join(dir, 'monitrc'), line: 2, message: "Include failed -- No such file or directory '/nonexistent-warden/*.cfg'" },
    ]);
  });

  it('warns on an include loop and includes each file once', () => {
    write('monitrc', 'root\ninclude a.cfg');
    write('a.cfg', 'a\ninclude monitrc\ninclude a.cfg');
    const { tokens, warnings } = expand();
    assert.deepEqual(words(tokens, dir), ['monitrc:1:root', 'a.cfg:1:a']);
    assert.deepEqual(warnings.map((w) => `${w.line}: ${w.message}`), [
      `2: Include loop detected when trying to include ${join(dir, 'monitrc')} '${join(dir, 'monitrc')}'`,
      `3: Include loop detected when trying to include ${join(dir, 'a.cfg')} '${join(dir, 'a.cfg')}'`,
    ]);
  });

  it('includes inside a check block', () => {
    write('monitrc', 'check file f with path /f\n  include rules.cfg\n  group g');
    write('rules.cfg', 'if does not exist then alert');
    assert.deepEqual(words(expand().tokens, dir), [
      'monitrc:1:check', 'monitrc:1:file', 'monitrc:1:f', 'monitrc:1:path', 'monitrc:1:/f',
      'rules.cfg:1:if', 'rules.cfg:1:not', 'rules.cfg:1:exist', 'rules.cfg:1:then', 'rules.cfg:1:alert',
      'monitrc:3:group', 'monitrc:3:g',
    ]);
  });

  it('puts the end of input after the last file read', () => {
    write('monitrc', 'x\ninclude a.cfg');
    write('a.cfg', 'a\n\n\n');
    const eof = expand().tokens.at(-1)!;
    assert.equal(eof.file, join(dir, 'a.cfg'));
    assert.equal(eof.line, 4);
  });
});

describe('monitrc include expansion (pure)', () => {
  it('stops with an error past the nesting limit', () => {
    // Each file includes the next: n0 → n1 → … beyond the limit.
    const read = (p: string) => `include /n${Number(p.slice(2)) + 1}`;
    const glob = (pattern: string) => [pattern];
    assert.throws(() => expandIncludes('/n0', read, glob), (err: Error) => {
      assert.match(String(err), new RegExp(`^/n${MAX_INCLUDE_DEPTH}:1: Include nesting too deep`));
      return true;
    });
  });

  it('rejects include without a pattern', () => {
    assert.throws(() => expandIncludes('/r', () => 'include {', () => []), /syntax error '\{'/);
  });
});
