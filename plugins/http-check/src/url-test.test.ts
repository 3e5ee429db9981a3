import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { nodeDigestSmallFile, nodeStat, type ProbeContext } from '@warden/sdk';
import { CapturedLogger, FakeClock, parseTest, RecordingMetrics, runProbe, testCycle, testSpawner } from '@warden/sdk/testing';
import { httpPeer, httpsPeer, makeCerts, type Certs, type Peer } from './test-peers.js';
import { STATUS_METRIC, urlTest } from './url-test.js';
import type { UrlOptions } from './url-options.js';

const parse = (text: string) => parseTest(urlTest, text, { polarity: 'failed', serviceType: 'host' }).options;

/** Run the url test once with `state` (kept across calls to see keep-alive). */
async function probe(text: string, state: Record<string, unknown> = {}, clock?: FakeClock) {
  return runProbe(urlTest, { options: parse(text), target: {}, state, ...(clock ? { clock } : {}) });
}

/** Close the agent a rule kept, as a dispose hook would. */
async function release(state: Record<string, unknown>): Promise<void> {
  await (state.agent as { close(): Promise<void> } | undefined)?.close();
}

describe('url test against a real HTTP server', () => {
  let peer: Peer;
  let clock: FakeClock | undefined;
  const base = () => `http://127.0.0.1:${peer.port}`;

  before(async () => {
    peer = await httpPeer({ onRequest: (req) => { if (req.url === '/ok?slow') clock?.advance(800); } });
  });
  after(() => peer.close());

  it('succeeds on 200 with Monit\'s words and reports the status and response time', async () => {
    const state = {};
    const { result, metrics } = await probe(`url ${base()}/ok`, state);
    assert.equal(result.status, 'ok');
    assert.equal(result.message, `connection succeeded to [127.0.0.1]:${peer.port}/ok [TCP/IP]`);
    assert.equal(typeof result.value, 'number');
    assert.equal(result.observations?.httpStatus, 200);
    assert.equal(metrics.values.get(STATUS_METRIC), 200);
    await release(state);
  });

  it('keeps one connection alive across cycles', async () => {
    const state = {};
    const before = peer.connections();
    for (let i = 0; i < 3; i++) assert.equal((await probe(`url ${base()}/ok content = "warden"`, state)).result.status, 'ok');
    assert.equal(peer.connections() - before, 1, 'three cycles, one TCP connection');
    await release(state);
  });

  it('keeps one connection alive across cycles when only the status is judged, and after a failing status', async () => {
    const state = {};
    const before = peer.connections();
    for (let i = 0; i < 3; i++) assert.equal((await probe(`url ${base()}/ok`, state)).result.status, 'ok');
    assert.equal((await probe(`url ${base()}/status/500`, state)).result.code, 'http-check.status');
    assert.equal((await probe(`url ${base()}/ok`, state)).result.status, 'ok');
    assert.equal(peer.connections() - before, 1, 'five cycles, one TCP connection');
    await release(state);
  });

  it('fails on a 500 with Monit\'s message', async () => {
    const { result } = await probe(`url ${base()}/status/500`);
    assert.equal(result.status, 'failed');
    assert.equal(result.code, 'http-check.status');
    assert.equal(result.message, `failed protocol test [HTTP] at [127.0.0.1]:${peer.port}/status/500 [TCP/IP] -- HTTP error: Server returned status 500`);
  });

  it('judges `status OP N` instead of < 400 when given', async () => {
    assert.equal((await probe(`url ${base()}/status/404 status = 404`)).result.status, 'ok');
    assert.equal((await probe(`url ${base()}/ok status != 200`)).result.code, 'http-check.status');
  });

  it('does not follow redirects, as Monit: a 302 passes unless the status says otherwise', async () => {
    assert.equal((await probe(`url ${base()}/redirect`)).result.status, 'ok');
    const { result } = await probe(`url ${base()}/redirect status = 200`);
    assert.match(result.message, /HTTP error: Server returned status 302$/);
  });

  it('matches content with = and !=', async () => {
    assert.equal((await probe(`url ${base()}/ok and content = "^hello w[a-z]+"`)).result.status, 'ok');
    const miss = (await probe(`url ${base()}/ok content = "goodbye"`)).result;
    assert.equal(miss.code, 'http-check.content');
    assert.match(miss.message, /-- HTTP error: Regular expression doesn't match: No match$/);
    assert.match((await probe(`url ${base()}/ok content != "hello"`)).result.message, /-- HTTP error: Regular expression matches$/);
    assert.match((await probe(`url ${base()}/empty content = "x"`)).result.message, /-- HTTP error: No content returned from server$/);
  });

  it('checks the body checksum (MD5 and SHA-1)', async () => {
    const md5 = createHash('md5').update('hello warden\n').digest('hex');
    const sha1 = createHash('sha1').update('hello warden\n').digest('hex');
    assert.equal((await probe(`url ${base()}/ok checksum ${md5}`)).result.status, 'ok');
    assert.equal((await probe(`url ${base()}/ok checksum ${sha1.toUpperCase()}`)).result.status, 'ok');
    const bad = (await probe(`url ${base()}/ok checksum ${'0'.repeat(32)}`)).result;
    assert.equal(bad.code, 'http-check.checksum');
    assert.match(bad.message, /-- HTTP checksum error: Document checksum mismatch$/);
  });

  it('sends the host header, extra headers, the method and Monit\'s defaults', async () => {
    const count = peer.requests.length;
    await probe(`url ${base()}/echo hostheader "www.example.com" http headers [X-Probe: yes, Accept: text/plain] method head`);
    const req = peer.requests[count]!;
    assert.equal(req.method, 'HEAD');
    assert.equal(req.headers.host, 'www.example.com');
    assert.equal(req.headers['x-probe'], 'yes');
    assert.equal(req.headers.accept, 'text/plain', 'a rule header replaces the default');
    assert.equal(req.headers['accept-encoding'], 'identity');
    assert.equal(req.headers['user-agent'], 'warden');
  });

  it('sends Basic auth from the URL or from username/password', async () => {
    assert.equal((await probe(`url ${base()}/auth`)).result.code, 'http-check.status');
    const port = peer.port;
    assert.equal((await probe(`url http://user:secret@127.0.0.1:${port}/auth`)).result.status, 'ok');
    assert.equal((await probe(`url ${base()}/auth username "user" password "secret"`)).result.status, 'ok');
    assert.match((await probe(`url http://user:wrong@127.0.0.1:${port}/auth`)).result.message, /returned status 401$/);
  });

  it('fails the responsetime limit with the measured time', async () => {
    clock = new FakeClock();
    const { result } = await probe(`url ${base()}/ok?slow responsetime < 500 ms`, {}, clock);
    clock = undefined;
    assert.equal(result.code, 'http-check.responsetime');
    assert.equal(result.value, 800);
    assert.match(result.message, /-- response time 800\.000 ms doesn't match limit \[responsetime < 500 ms\]$/);
  });

  it('reads at most 1 MB of a 100 MB body and stops', async function () {
    this.timeout(10_000);
    const started = Date.now();
    const { result } = await probe(`url ${base()}/big content = "y"`);
    assert.equal(result.code, 'http-check.content');
    const drained = await probe(`url ${base()}/big`);
    assert.equal(drained.result.status, 'ok');
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('fails with "Connection refused" when nothing listens, and retries first', async () => {
    const closed = await httpPeer();
    const port = closed.port;
    await closed.close();
    const run = await probe(`url http://127.0.0.1:${port}/ retry 2`);
    assert.equal(run.result.code, 'http-check.connection');
    assert.equal(run.result.message, `failed protocol test [HTTP] at [127.0.0.1]:${port}/ [TCP/IP] -- Connection refused`);
    assert.deepEqual(run.log.messages('warning'), [`failed protocol test [HTTP] at [127.0.0.1]:${port}/ [TCP/IP] -- Connection refused (attempt 1/2)`]);
  });

  it('passes its signal to the request: an abort ends a hanging request', async () => {
    const controller = new AbortController();
    const ctx: ProbeContext<UrlOptions, unknown> = {
      options: parse(`url ${base()}/hang`), target: {}, service: { name: 't', type: 'host' }, signal: controller.signal,
      deadline: Date.now() + 200, clock: new FakeClock(), log: new CapturedLogger(), metrics: new RecordingMetrics(),
      spawn: testSpawner, stat: nodeStat, digestSmallFile: nodeDigestSmallFile, state: {}, cycle: testCycle(), settings: {},
    };
    setTimeout(() => controller.abort(new Error('deadline')), 200);
    const started = Date.now();
    await assert.rejects(async () => urlTest.run(ctx));
    assert.ok(Date.now() - started < 2000);
    await release(ctx.state);
  });
});

describe('url test against real HTTPS servers', function () {
  this.timeout(20_000);
  let certs: Certs;
  const peers: Peer[] = [];
  let selfSigned: Peer;
  let good: Peer;
  let expired: Peer;
  let wrongName: Peer;

  before(async () => {
    certs = makeCerts();
    selfSigned = await httpsPeer(certs.selfSigned, certs.selfSignedKey);
    good = await httpsPeer(certs.good, certs.key);
    expired = await httpsPeer(certs.expired, certs.key);
    wrongName = await httpsPeer(certs.wrongName, certs.key);
    peers.push(selfSigned, good, expired, wrongName);
  });
  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    certs?.cleanup();
  });

  it('verifies certificates by default: a self-signed one fails', async () => {
    const { result } = await probe(`url https://127.0.0.1:${selfSigned.port}/ok`);
    assert.equal(result.code, 'http-check.tls');
    assert.equal(result.message, `failed protocol test [HTTPS] at [127.0.0.1]:${selfSigned.port}/ok [TCP/IP TLS] -- TLS certificate verification failed -- self-signed certificate`);
  });

  it('accepts the self-signed one with verification off', async () => {
    const state = {};
    const { result } = await probe(`url https://127.0.0.1:${selfSigned.port}/ok content = "warden" ssl { verify: disable }`, state);
    assert.equal(result.status, 'ok', result.message);
    assert.equal(result.message, `connection succeeded to [127.0.0.1]:${selfSigned.port}/ok [TCP/IP TLS]`);
    await release(state);
  });

  it('trusts a CA given by cacertificatefile, and still catches expired and wrong-name certificates', async () => {
    const ca = `ssl { cacertificatefile: ${certs.ca} }`;
    const ok = await probe(`url https://localhost:${good.port}/ok ${ca}`);
    assert.equal(ok.result.status, 'ok', ok.result.message);
    const old = await probe(`url https://localhost:${expired.port}/ok ${ca}`);
    assert.equal(old.result.code, 'http-check.tls');
    assert.match(old.result.message, /-- TLS certificate verification failed -- certificate has expired$/);
    const wrong = await probe(`url https://localhost:${wrongName.port}/ok ${ca}`);
    assert.equal(wrong.result.code, 'http-check.tls');
    assert.match(wrong.result.message, /Hostname\/IP does not match certificate's altnames/);
  });
});
