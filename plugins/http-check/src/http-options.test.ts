import assert from 'node:assert/strict';
import { isParseError, type ParseContext } from '@warden/sdk';
import { parseTest, tokens } from '@warden/sdk/testing';
import { httpProtocolDefinition } from './protocol.js';
import { urlTest } from './url-test.js';

const failed: Partial<ParseContext> = { polarity: 'failed', serviceType: 'host' };

/** Parse protocol options the way the `port` test hands them over, to the end. */
function protocolOptions(text: string) {
  const ts = tokens(text);
  const options = httpProtocolDefinition.parse!(ts);
  if (!ts.atEnd()) ts.syntaxError('the end');
  return options;
}

/** Assert a parse error's message and line. */
function rejects(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isParseError(err), String(err));
    assert.equal(err.message, message);
    return true;
  });
}

describe('http options (C63–C71)', () => {
  it('reads every option in any order, noise words included', () => {
    const o = protocolOptions(
      'request "/health?full=1" with status = 200 and content = "ok|fine" checksum D41D8CD98F00B204E9800998ECF8427E ' +
        'hostheader "example.com" http headers [X-Probe: warden, Accept: "text/plain"] username "u" password "p:w" method get',
    );
    assert.equal(o.method, 'GET');
    assert.equal(o.request, '/health?full=1');
    assert.deepEqual(o.status, { op: '=', value: 200 });
    assert.equal(o.content?.op, '=');
    assert.equal(o.content?.source, 'ok|fine');
    assert.ok(o.content?.regex.test('all fine'));
    assert.deepEqual(o.checksum, { algorithm: 'md5', hex: 'd41d8cd98f00b204e9800998ecf8427e' });
    assert.equal(o.hostHeader, 'example.com');
    assert.deepEqual(o.headers, [['X-Probe', 'warden'], ['Accept', 'text/plain']]);
    assert.equal(o.username, 'u');
    assert.equal(o.password, 'p:w');
  });

  it('reads header values of several words and a quoted value with colons', () => {
    const o = protocolOptions('headers [ User-Agent: my probe 1.0, Referer: "http://a:8080/x" ]');
    assert.deepEqual(o.headers, [['User-Agent', 'my probe 1.0'], ['Referer', 'http://a:8080/x']]);
  });

  it('picks the hash from the checksum length and refuses other lengths', () => {
    assert.equal(protocolOptions(`checksum ${'a'.repeat(40)}`).checksum?.algorithm, 'sha1');
    assert.equal(protocolOptions(`checksum "${'b'.repeat(64)}"`).checksum?.algorithm, 'sha256');
    rejects(() => protocolOptions('checksum abc123'), "invalid checksum (expected 32, 40 or 64 hex digits) 'abc123'");
  });

  it('refuses HEAD with content or checksum, in Monit\'s words (H10)', () => {
    rejects(() => protocolOptions('method head content = "x"'), `if response content or checksum test is enabled, the HEAD method is not allowed '"x"'`);
    rejects(() => protocolOptions('content = "x" method head'), "if response content or checksum test is enabled, the HEAD method is not allowed 'head'");
    assert.equal(protocolOptions('method head status < 500').method, 'HEAD');
  });

  it('refuses a bad regex, a bad status and a header list without brackets', () => {
    assert.throws(() => protocolOptions('content = "a("'), /: regex parsing error: .*Unterminated group '"a\("'$/);
    rejects(() => protocolOptions('status = 999'), "HTTP status must be between 100 and 599 '999'");
    rejects(() => protocolOptions('headers X: y'), "syntax error 'X', expected '['");
    rejects(() => protocolOptions('request health'), "syntax error 'request', expected a request path starting with /");
  });

  it('stops at the first word that is not its own', () => {
    const ts = tokens('status = 200 timeout 5 seconds');
    httpProtocolDefinition.parse!(ts);
    assert.equal(ts.peek().text, 'timeout');
  });
});

describe('url test: parse (C58)', () => {
  it('splits the URL into origin, path and Basic credentials', () => {
    const { options, condition, describe: text } = parseTest(urlTest, 'url http://user:p%40ss@127.0.0.1:8080/x/y?q=1 and content = "ok"', failed);
    assert.equal(options.origin, 'http://127.0.0.1:8080');
    assert.equal(options.http.request, '/x/y?q=1');
    assert.equal(options.http.username, 'user');
    assert.equal(options.http.password, 'p@ss');
    assert.equal(options.url, 'http://127.0.0.1:8080/x/y?q=1');
    assert.equal(options.timeoutMs, 5000, "Monit's network timeout by default");
    assert.deepEqual(condition, { kind: 'state' });
    assert.equal(text, 'url http://127.0.0.1:8080/x/y?q=1 content = "ok"', 'no password in the description');
    const both = parseTest(urlTest, 'url http://a:b@h/ username "c" password "d"', failed).options.http;
    assert.deepEqual([both.username, both.password], ['a', 'b'], "the URL's credentials win, as in Monit");
  });

  it('reads timeout, retry, responsetime and ssl options around the HTTP options', () => {
    const { options } = parseTest(
      urlTest,
      'url https://[::1]/ status = 204 with timeout 2 seconds retry 3 and responsetime < 300 ms ssl { verify: disable } hostheader "h.example"',
      failed,
    );
    assert.equal(options.port, 443);
    assert.equal(options.protocol, 'https');
    assert.equal(options.timeoutMs, 2000);
    assert.equal(options.retry, 3);
    assert.deepEqual(options.responseTime, { op: '<', value: 300, unit: 'ms', text: '300 ms' });
    assert.equal(options.tls.verify, false);
    assert.deepEqual(options.http.status, { op: '=', value: 204 });
    assert.equal(options.http.hostHeader, 'h.example');
    assert.equal(parseTest(urlTest, 'url https://h/ ssl options { selfsigned: allow }', failed).options.tls.verify, false);
    assert.equal(parseTest(urlTest, 'url https://h/', failed).options.tls.verify, true);
  });

  it('refuses other URL schemes in Monit\'s words (H15)', () => {
    rejects(() => parseTest(urlTest, 'url ftp://example.com/', failed), "URL protocol not supported --  'ftp://'");
  });

  it('refuses a missing CA file and a request after the URL', () => {
    rejects(() => parseTest(urlTest, 'url https://h/ ssl { cacertificatefile: /nonexistent/ca.pem }', failed), "SSL CA certificates file not found '/nonexistent/ca.pem'");
    assert.throws(() => parseTest(urlTest, 'url http://h/ request "/x"', failed), /syntax error 'request'/);
  });
});
