#!/usr/bin/env node
// Streaming hash throughput of one 1 GiB file, by hand: `node plugins/checksum/bench/hash-throughput.mjs [MiB]`
// (build first: `npx tsc -b plugins/checksum`). Compares this plugin's reader (hashFile) with
// plain crypto.createHash over createReadStream in 1 MiB reads and with `monit -H` (which
// computes SHA1 and MD5 together), and records the longest event-loop stall while hashing.
// Targets (issue 6): >= 0.9x plain Node; no stall over 50 ms. The file lives in /tmp and is
// deleted at the end; it is read once beforehand so every run reads from the page cache.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hashFile } from '../dist/hash-file.js';

const MIB = 1 << 20;
const sizeMiB = Number(process.argv[2] ?? 1024);
const ROUNDS = 3;

const dir = mkdtempSync(join(tmpdir(), 'warden-hash-bench-'));
const file = join(dir, 'data.bin');

function makeFile() {
  const block = Buffer.alloc(MIB);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.imul(i, 2654435761) >>> 0), i);
  const fd = openSync(file, 'w');
  for (let i = 0; i < sizeMiB; i++) {
    block.writeUInt32LE(i, 0); // no two blocks alike
    writeSync(fd, block);
  }
  closeSync(fd);
}

function plain(algorithm) {
  return new Promise((resolve, reject) => {
    const h = createHash(algorithm);
    createReadStream(file, { highWaterMark: MIB })
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

/**
 * Best of ROUNDS wall times (ms) of `fn`, with the max and p99 event-loop delay seen (ms).
 * On a loaded machine the max also counts time the process was not scheduled at all.
 */
async function measure(fn) {
  let best = Infinity;
  let stall = 0;
  let p99 = 0;
  let result;
  for (let r = 0; r < ROUNDS; r++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t0 = process.hrtime.bigint();
    result = await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    h.disable();
    best = Math.min(best, ms);
    stall = Math.max(stall, h.max / 1e6);
    p99 = Math.max(p99, h.percentile(99) / 1e6);
  }
  return { ms: best, stall, p99, result };
}

const mbps = (ms) => ((sizeMiB * MIB) / 1e6 / (ms / 1000)).toFixed(0);

try {
  makeFile();
  await plain('md5'); // warm the page cache
  const rows = [];
  for (const algorithm of ['md5', 'sha1', 'sha256']) {
    const ours = await measure(() => hashFile(file, [algorithm]).then(([d]) => d));
    const base = await measure(() => plain(algorithm));
    if (ours.result !== base.result) throw new Error(`${algorithm}: digests differ`);
    rows.push({ algorithm, warden: mbps(ours.ms), plain: mbps(base.ms), ratio: (base.ms / ours.ms).toFixed(2), wardenStallMs: `${ours.stall.toFixed(1)} (p99 ${ours.p99.toFixed(1)})`, plainStallMs: `${base.stall.toFixed(1)} (p99 ${base.p99.toFixed(1)})` });
  }
  const both = await measure(() => hashFile(file, ['sha1', 'md5']));
  rows.push({ algorithm: 'sha1+md5 (-H)', warden: mbps(both.ms), plain: '', ratio: '', wardenStallMs: `${both.stall.toFixed(1)} (p99 ${both.p99.toFixed(1)})`, plainStallMs: '' });
  const monit = spawnSync('monit', ['-H', file], { encoding: 'utf8' });
  if (monit.error) {
    rows.push({ algorithm: 'monit -H', warden: 'monit not installed' });
  } else {
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = process.hrtime.bigint();
      spawnSync('monit', ['-H', file]);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const [md5] = await hashFile(file, ['md5']);
    if (!monit.stdout.includes(md5)) throw new Error('monit -H printed another MD5');
    rows.push({ algorithm: 'monit -H (sha1+md5)', warden: mbps(best) });
  }
  console.log(`hash throughput, ${sizeMiB} MiB file from the page cache, best of ${ROUNDS}, MB/s (10^6 bytes); stalls in ms`);
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
