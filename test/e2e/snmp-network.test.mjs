// `check host` with SNMP rules against a real Debian snmpd, and `check network` on lo and on a
// veth pair into a network namespace the test creates: the real daemon, its log, its alerts.
// Needs root (ip netns) and the Debian packages snmpd and iproute2.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, daemonsPerTest, readText, ROOT, startWarden, stopChild, waitFor, writeControlFile } from './harness.mjs';

const ip = (...args) => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `snmpd -f -Lo -C -c CONF udp:127.0.0.1:PORT`, ready when it prints its version (bounded). */
async function startSnmpd(port) {
  const dir = mkdtempSync(join(tmpdir(), 'warden-e2e-snmpd-'));
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(conf, 'rocommunity public 127.0.0.1\ncreateUser warden SHA "authpass123" AES "privpass123"\nrouser warden priv\n');
  const child = spawn('snmpd', ['-f', '-Lo', '-C', '-c', conf, `udp:127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: '', MIBDIRS: dir },
  });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`snmpd did not start in 5 s:\n${output}`)), 5000);
    const onData = (d) => {
      output += d.toString();
      if (/NET-SNMP version/.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => { clearTimeout(timer); reject(new Error(`cannot start snmpd (apt-get install snmpd): ${err.message}`)); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`snmpd exited with ${code}:\n${output}`)); });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
        const kill = setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(kill);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('e2e: check host with snmp rules, check network', function () {
  this.timeout(60_000);
  let t;
  let handles;
  before(async function () {
    // `check host` is the protocols plugin's; wait (bounded) in case it is still being built.
    const entry = join(ROOT, 'plugins/protocols/dist/index.js');
    await waitFor(() => existsSync(entry), 20_000, `${entry} (the host service type)`);
  });
  daemonsPerTest((dir, list) => {
    t = dir;
    handles = list;
  });
  const run = (lines) => {
    const file = writeControlFile(join(t.dir, 'monitrc'), ['set daemon 1', `set log ${join(t.dir, 'warden.log')}`, `set pidfile ${join(t.dir, 'warden.pid')}`, ...lines, ''].join('\n'));
    const h = startWarden(['-I', '-v', '-c', file]);
    handles.push(h);
    return h;
  };
  const logText = () => readText(join(t.dir, 'warden.log'));
  const seen = (re, what, ms = 15_000) => waitFor(() => re.test(logText()), ms, `${what} in the log:\n${logText().slice(-3000)}`);

  it('snmp v2c and v3, a wrong community, a missing OID, the named shortcuts', async () => {
    const port = await freeUdpPort();
    const agent = await startSnmpd(port);
    try {
      const P = `port ${port}`;
      const h = run([
        'check host router with address 127.0.0.1',
        `  if failed snmp ${P} version 2c community "public" with timeout 2 seconds then alert`,
        `  if failed snmp ${P} user "warden" auth sha "authpass123" priv aes "privpass123" oid "1.3.6.1.2.1.1.5.0" then alert`,
        `  if failed snmp ${P} community "wrong" with timeout 1 second then alert`,
        `  if failed snmp ${P} oid "1.3.6.1.2.1.1.99.0" then alert`,
        `  if snmp ${P} load (1min) > 10000 then alert`,
        `  if snmp ${P} load (5min) >= 0 then alert`,
        `  if snmp ${P} disk "/" usage >= 0% then alert`,
        `  if snmp ${P} interface "lo" down then alert`,
        `  if snmp ${P} interface "lo" up then alert`,
        `  if snmp ${P} uptime > 1 second then alert`,
      ]);
      await seen(/'router' alert: Connection failed -- failed protocol test \[SNMPv2c\] at \[127\.0\.0\.1\]:\d+ \[UDP\/IP\] -- SNMP request timed out/, 'the wrong community alert');
      await seen(/'router' alert: Connection failed -- failed protocol test \[SNMPv2c\] at \[127\.0\.0\.1\]:\d+ \[UDP\/IP\] -- NoSuchObject at OID 1\.3\.6\.1\.2\.1\.1\.99\.0/, 'the missing OID alert');
      await seen(/'router' alert: Resource limit matched -- load \(5min\) of [\d.]+ matches resource limit \[load \(5min\) >= 0\]/, 'the load alert');
      await seen(/'router' alert: Resource limit matched -- disk "\/" usage of [\d.]+% matches resource limit/, 'the disk alert');
      await seen(/'router' alert: Link down -- link up on interface "lo"/, 'the `interface "lo" up` alert');
      await seen(/'router' alert: Uptime failed -- uptime of \S+/, 'the uptime alert');
      await seen(/'router' connection succeeded to \[127\.0\.0\.1\]:\d+ \[UDP\/IP\] -- oid 1\.3\.6\.1\.2\.1\.1\.5\.0 = "/, 'the v3 rule answering');
      const log = logText();
      assert.doesNotMatch(log, /SNMPv3/, 'the v3 rule never failed');
      assert.doesNotMatch(log, /load \(1min\) of [\d.]+ matches/, 'load (1min) > 10000 never matched');
      assert.doesNotMatch(log, /'router' alert: Link down -- link down/, '`interface "lo" down` never fired');
      assert.equal((await stopChild(h)).code, 0);
    } finally {
      await agent.stop();
    }
  });

  it('snmp: the agent stops, then a new one (new v3 engine id) starts on the same port: alerts, then recovery', async () => {
    const port = await freeUdpPort();
    let agent = await startSnmpd(port);
    try {
      const h = run([
        'check host router with address 127.0.0.1',
        `  if failed snmp port ${port} with timeout 1 second then alert`,
        `  if failed snmp port ${port} user "warden" auth sha "authpass123" priv aes "privpass123" with timeout 1 second then alert`,
      ]);
      await seen(/'router' connection succeeded (.*\n)*.*'router' connection succeeded/, 'both rules answering');
      await agent.stop();
      await seen(/'router' alert: Connection failed -- failed protocol test \[SNMPv2c\] .* -- SNMP request timed out/, 'the v2c alert while the agent is down');
      await seen(/'router' alert: Connection failed -- failed protocol test \[SNMPv3\] .* -- SNMP request timed out/, 'the v3 alert while the agent is down');
      agent = await startSnmpd(port);
      await seen(/'router' alert: Connection succeeded -- connection succeeded to .* \[UDP\/IP\] -- oid 1\.3\.6\.1\.2\.1\.1\.3\.0 (.*\n)*.*'router' alert: Connection succeeded/, 'both rules recovering with the new agent');
      assert.equal((await stopChild(h)).code, 0);
    } finally {
      await agent.stop();
    }
  });

  it('network: lo traffic and totals, link down and up on a veth whose peer is in a namespace', async () => {
    const tag = `${process.pid % 100000}`;
    const ns = `warden-e2e-${tag}`;
    const outer = `wde${tag}a`;
    const inner = `wde${tag}b`;
    ip('netns', 'add', ns);
    try {
      ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner, 'netns', ns);
      ip('link', 'set', outer, 'up');
      ip('-n', ns, 'link', 'set', inner, 'up');
      const h = run([
        'check network loop with interface lo',
        '  if download > 100 GB/s then alert',
        '  if upload >= 0 B/s then alert',
        '  if total downloaded >= 1 B in last 1 hour then alert',
        `check network veth with interface ${outer}`,
        '  if changed link capacity then alert',
        'check network byaddr with address 127.0.0.1',
        '  if failed link then alert',
      ]);
      await seen(/'loop' alert: Upload bytes exceeded -- upload bytes of .* matches limit \[upload >= 0 B\/s\]/, 'the lo upload rate alert');
      // Real traffic on lo, whatever else the machine is doing: 1 KB datagrams every 50 ms
      // (bounded: stopped as soon as the total alert is seen, at the latest by `seen`'s timeout).
      const traffic = createSocket('udp4');
      const sender = setInterval(() => traffic.send(Buffer.alloc(1024), 9, '127.0.0.1', () => undefined), 50);
      try {
        await seen(/'loop' alert: Download bytes exceeded -- total downloaded in last 1 hour of .* matches limit/, 'the lo total alert');
      } finally {
        clearInterval(sender);
        traffic.close();
      }
      await seen(new RegExp(`'veth' link up on ${outer}`), 'the veth link up');
      await seen(/'byaddr' link up on lo/, 'the address found on lo');
      ip('-n', ns, 'link', 'set', inner, 'down');
      await seen(new RegExp(`'veth' alert: Link down -- link down on ${outer} -- operstate (down|lowerlayerdown), no carrier`), 'the implicit link down alert');
      ip('-n', ns, 'link', 'set', inner, 'up');
      await seen(new RegExp(`'veth' alert: Link up -- link up on ${outer}`), 'the link up recovery alert');
      const log = logText();
      assert.doesNotMatch(log, /'loop' alert: Download bytes exceeded -- download bytes/, '100 GB/s never matched');
      assert.equal(count(log, /'byaddr' alert/), 0);
      assert.equal((await stopChild(h)).code, 0);
    } finally {
      try { ip('link', 'del', outer); } catch { /* went with the namespace */ }
      ip('netns', 'del', ns);
    }
  });
});
