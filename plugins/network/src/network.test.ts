import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { FakeClock, observeOnce, parseTest, runProbe } from '@warden/sdk/testing';
import { capacityTest } from './capacity.js';
import { linkTest } from './link.js';
import { networkService, type NetworkState, type NetworkTarget } from './network-type.js';
import { saturationTest } from './saturation.js';
import { totalTest } from './total.js';
import { transferTest } from './transfer.js';

const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Send `count` UDP datagrams of `size` bytes to a port on 127.0.0.1 that reads them. */
async function loopbackTraffic(count: number, size: number): Promise<void> {
  const sink = createSocket('udp4');
  let received = 0;
  const all = new Promise<void>((resolve) => sink.on('message', () => ++received === count && resolve()));
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', () => resolve()));
  const sender = createSocket('udp4');
  const payload = Buffer.alloc(size, 0x61);
  for (let i = 0; i < count; i++) await new Promise<void>((resolve, reject) => sender.send(payload, sink.address().port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  await Promise.race([all, new Promise((r) => setTimeout(r, 2000))]);
  sender.close();
  sink.close();
}

async function probe<O>(def: Parameters<typeof runProbe<O, NetworkTarget>>[0], text: string, target: NetworkTarget, polarity: 'none' | 'failed' | 'changed' = 'none', state: Record<string, unknown> = {}) {
  return (await runProbe(def, { options: parseTest(def, text, { polarity }).options, target, state })).result;
}

describe('network: on lo', () => {
  it('lo is up; rates and totals come from real loopback traffic between two samples', async () => {
    const clock = new FakeClock();
    const options = { interface: 'lo' };
    const first = await observeOnce(networkService, options, { clock });
    assert.equal(first.target!.up, true);
    assert.equal(first.target!.rates, undefined);
    assert.equal((await probe(transferTest, 'download > 1 MB/s', first.target!)).status, 'skipped');
    await loopbackTraffic(200, 1000);
    clock.advance(1000);
    const second = await observeOnce(networkService, options, { clock, state: first.state });
    const t = second.target!;
    // 200 datagrams of 1000 bytes (+ 28 bytes of headers each) went out and came back in lo;
    // other loopback traffic of the machine only adds to it, so these are lower bounds.
    assert.ok(t.rates!.rxBytes >= 200_000 && t.rates!.txBytes >= 200_000, JSON.stringify(t.rates));
    assert.ok(t.rates!.rxPackets >= 200, JSON.stringify(t.rates));
    const down = await probe(transferTest, 'download > 100 kB/s', t);
    assert.ok(typeof down.value === 'number' && down.value >= 200_000);
    assert.match(down.message, /^download bytes of [\d.]+ [kMG]B\/s matches limit \[download > 100 kB\/s\]$/);
    const packets = await probe(transferTest, 'upload > 100000 packets/s', t);
    assert.match(packets.message, /^upload packets check succeeded \[current upload packets = \d+ packets\/s\]$/);
    const total = await probe(totalTest, 'total downloaded > 1 GB in last 1 hour', t);
    assert.ok(typeof total.value === 'number' && total.value >= 200_000);
    assert.equal((await probe(linkTest, 'link down', t)).status, 'ok');
    const seen = networkService.observations!(t);
    assert.equal(seen.interface, 'lo');
    assert.equal(seen.linkState, 1);
    assert.ok(typeof seen.downloadBytesPerSecond === 'number' && seen.downloadBytesPerSecond >= 200_000);
    const sat = await probe(saturationTest, 'saturation > 90%', t);
    assert.match(sat.message, /link speed of lo unknown/);
  });

  it('check network with address 127.0.0.1 finds lo', async () => {
    const { target } = await observeOnce(networkService, { address: '127.0.0.1' });
    assert.equal(target!.interface, 'lo');
    assert.equal(target!.up, true);
  });

  it('a missing interface is link down (network.down)', async () => {
    const { target } = await observeOnce(networkService, { interface: 'nosuch0' });
    const r = await probe(linkTest, 'link down', target!);
    assert.equal(r.code, 'network.down');
    assert.equal(r.message, 'link down -- interface nosuch0 not found');
  });
});

describe('network: a veth pair into a network namespace the test creates', function () {
  this.timeout(10_000);
  const tag = `${process.pid % 100000}`;
  const ns = `warden-net-${tag}`;
  const outer = `wdn${tag}a`;
  const inner = `wdn${tag}b`;
  before(() => {
    ip('netns', 'add', ns);
    ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner, 'netns', ns);
    ip('link', 'set', outer, 'up');
    ip('-n', ns, 'link', 'set', inner, 'up');
  });
  after(() => {
    try { ip('link', 'del', outer); } catch { /* gone with the namespace's end */ }
    ip('netns', 'del', ns);
  });

  const clock = new FakeClock();
  const observe = async (state?: NetworkState) => {
    clock.advance(1000);
    return observeOnce(networkService, { interface: outer }, state ? { state, clock } : { clock });
  };

  /** The kernel updates operstate a moment after `ip link set`; poll, bounded. */
  async function until(up: boolean): Promise<NetworkTarget> {
    for (let i = 0; i < 100; i++) {
      const { target } = await observe();
      if (target!.up === up) return target!;
      await new Promise((r) => setTimeout(r, 20));
    }
    return assert.fail(`${outer} never became ${up ? 'up' : 'down'}`);
  }

  it('up with both ends up: speed and duplex from /sys, saturation computed', async () => {
    const t = await until(true);
    assert.equal(t.link!.speedMbps, 10000);
    assert.equal(t.link!.duplex, 'full');
    assert.equal((await probe(linkTest, 'link down', t)).message, `link up on ${outer}`);
    const changed = await probe(capacityTest, 'link', t, 'changed');
    assert.equal(changed.value, '10000 Mb/s full duplex');
    const { state } = await observe();
    const second = await observe(state);
    const sat = await probe(saturationTest, 'saturation > 90%', second.target!);
    assert.equal(typeof sat.value, 'number');
  });

  it('the peer end set down inside the namespace: link down (no carrier); `link up` turns around', async () => {
    ip('-n', ns, 'link', 'set', inner, 'down');
    const t = await until(false);
    const r = await probe(linkTest, 'link down', t);
    assert.equal(r.code, 'network.down');
    assert.match(r.message, new RegExp(`^link down on ${outer} -- operstate (down|lowerlayerdown), no carrier$`));
    ip('-n', ns, 'link', 'set', inner, 'up');
    const back = await until(true);
    assert.equal((await probe(linkTest, 'link up', back)).status, 'ok');
  });

  it('our end set down: link down (administratively)', async () => {
    ip('link', 'set', outer, 'down');
    const t = await until(false);
    assert.equal((await probe(linkTest, 'link', t, 'failed')).message, `link down on ${outer} -- administratively down`);
    ip('link', 'set', outer, 'up');
    await until(true);
  });
});
