import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { releaseExecutablePages } from './executable-pages.js';

/**
 * A node process that reads its RSS, gives back its executable's pages, reads it again, then
 * runs code it had not run yet (a built-in module loaded only now, whose source and code are
 * among the pages just dropped) and prints what it saw.
 */
const CHILD = `
const { readFileSync } = require('node:fs');
const rssFile = () => Number(/RssFile:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
import(process.argv[1]).then(({ releaseExecutablePages }) => {
  const before = rssFile();
  const released = releaseExecutablePages();
  const after = rssFile();
  const zlib = require('node:zlib');
  const text = 'warden '.repeat(1000);
  const roundTrip = zlib.inflateSync(zlib.deflateSync(text)).toString() === text;
  process.stdout.write(JSON.stringify({ before, released, after, roundTrip }));
});
`;

describe('the node executable\'s start-up pages', () => {
  it('are dropped from the RSS, and the process runs on, reading them again where it needs them', () => {
    const module = new URL('./executable-pages.js', import.meta.url).href;
    const seen = JSON.parse(execFileSync(process.execPath, ['-e', CHILD, module], { encoding: 'utf8' })) as { before: number; released: number | undefined; after: number; roundTrip: boolean };
    assert.ok(seen.released !== undefined && seen.released > 5 * 1048576, `dropped ${seen.released} bytes`);
    // The file-backed RSS falls by most of what was dropped (a few pages come back at once).
    assert.ok(seen.before - seen.after > seen.released / 2, `RssFile ${seen.before} -> ${seen.after} after dropping ${seen.released}`);
    assert.equal(seen.roundTrip, true, 'code read back from the dropped pages ran');
  });

  it('are left alone without the addon', () => {
    assert.equal(releaseExecutablePages(new Error('not built')), undefined);
  });
});
