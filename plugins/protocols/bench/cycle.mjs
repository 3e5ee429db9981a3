#!/usr/bin/env node
// Cycle wall time for many `check host` services against one local TCP server.
//   node plugins/protocols/bench/cycle.mjs [--services 1000] [--ports 1] [--concurrency 8] [--cycles 5] [--delay MS]
// Writes a control file with N hosts (each with P `port` tests on 127.0.0.1), runs the real
// daemon (`-I -v`, `set daemon 1`), timestamps every `succeeded testing protocol` line as it
// arrives, and reports per cycle the time from its first to its last result line.
// With `--delay MS` the tests speak `protocol redis` and the server answers each PING after MS
// milliseconds: a stand-in for a remote peer's round trip, which shows how the tests of one
// service, run one after another by core, add up.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  services: { type: 'string', default: '1000' }, ports: { type: 'string', default: '1' },
  concurrency: { type: 'string', default: '8' }, cycles: { type: 'string', default: '5' }, delay: { type: 'string', default: '0' },
} });
const services = Number(values.services);
const ports = Number(values.ports);
const cycles = Number(values.cycles);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const delay = Number(values.delay);
const server = createServer((s) => {
  s.on('error', () => s.destroy());
  if (delay > 0) s.on('data', () => setTimeout(() => s.writable && s.write('+PONG\r\n'), delay));
  else s.resume();
});
await new Promise((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
const port = server.address().port;
const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
const rc = join(dir, 'monitrc');
const lines = ['set daemon 1', `set pidfile ${join(dir, 'warden.pid')}`, `set limits { concurrency: ${values.concurrency} }`];
for (let i = 0; i < services; i++) {
  lines.push(`check host h${i} with address 127.0.0.1`);
  for (let p = 0; p < ports; p++) lines.push(`  if failed port ${port}${delay > 0 ? ' protocol redis' : ''} then alert`);
}
writeFileSync(rc, `${lines.join('\n')}\n`);
chmodSync(rc, 0o600);

const child = spawn(process.execPath, [join(root, 'core/bin/warden.js'), '-I', '-v', '-c', rc], { stdio: ['ignore', 'pipe', 'pipe'] });
const perCycle = services * ports;
const spans = [];
let seen = 0;
let first = 0;
let failed = 0;
let buffer = '';
const onData = (d) => {
  buffer += d.toString();
  const parts = buffer.split('\n');
  buffer = parts.pop();
  for (const line of parts) {
    if (line.includes('failed protocol test')) failed++;
    if (!line.includes('protocol test') && !line.includes('testing protocol')) continue;
    const now = performance.now();
    if (seen % perCycle === 0) first = now;
    seen++;
    if (seen % perCycle === 0) spans.push(now - first);
  }
  if (spans.length >= cycles) child.kill('SIGTERM');
};
child.stdout.on('data', onData);
child.stderr.on('data', onData);
await new Promise((r) => child.once('exit', r));
server.close();
rmSync(dir, { recursive: true, force: true });
const sorted = [...spans].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
console.log(JSON.stringify({ services, delayMs: delay, portsPerService: ports, checksPerCycle: perCycle, concurrency: Number(values.concurrency), failed,
  cycleMs: spans.map((s) => Number(s.toFixed(1))), medianMs: Number(median.toFixed(1)) }));
