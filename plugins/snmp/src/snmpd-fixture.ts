// Test helper: a real Debian snmpd on a free loopback UDP port, configured by the test,
// stopped by pid. Not part of the plugin's API.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running snmpd. */
export interface Snmpd {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The v3 user every fixture agent knows. */
export const V3_USER = { name: 'warden', authKey: 'authpass123', privKey: 'privpass123' } as const;

/** A UDP port that was free a moment ago on 127.0.0.1. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Start `snmpd -f -Lo -C -c CONF udp:127.0.0.1:PORT` and wait (bounded) until it says it runs. */
export async function startSnmpd(): Promise<Snmpd> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-snmpd-'));
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(conf, [
    'rocommunity public 127.0.0.1',
    `createUser ${V3_USER.name} SHA "${V3_USER.authKey}" AES "${V3_USER.privKey}"`,
    `rouser ${V3_USER.name} priv`,
    '',
  ].join('\n'));
  const port = await freeUdpPort();
  // SNMP_PERSISTENT_DIR keeps snmpd's engine boots file out of /var/lib/snmp; MIBS= spares the MIB parse noise.
  const child: ChildProcess = spawn('snmpd', ['-f', '-Lo', '-C', '-c', conf, `udp:127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SNMP_PERSISTENT_DIR: dir, MIBS: '', MIBDIRS: dir },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`snmpd did not start in 5 s:\n${output}`)), 5000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/NET-SNMP version/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => { clearTimeout(timer); reject(new Error(`cannot start snmpd (apt-get install snmpd): ${err.message}`)); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`snmpd exited with ${code}:\n${output}`)); });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        const kill = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(kill);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
