import assert from 'node:assert/strict';
import { parseErrorText, parseText } from './fake-registry.js';

describe('monitrc: set init, terminal, fips, ssl, limits, expectbuffer, onreboot, mmonit', () => {
  it('reads the flags (A3, A4, A30) and onreboot (A33)', () => {
    const g = parseText('set daemon 10\nset init\nset terminal batch\nset fips\nset onreboot nostart').globals;
    assert.equal(g.init, true);
    assert.equal(g.terminalBatch, true);
    assert.equal(g.fips, true);
    assert.equal(g.onreboot, 'nostart');
    assert.match(parseErrorText('set terminal colour'), /^test\.rc:1: syntax error 'colour'/);
    assert.match(parseErrorText('set onreboot never'), /^test\.rc:1: syntax error 'never'/);
  });

  it('refuses set init without a poll time, in Monit words (G05)', () => {
    assert.equal(parseErrorText('set init'), 'Poll time is invalid or not defined. Please define poll time in the control file\nas a number (> 0)  or use the -d option when starting monit');
  });

  it('reads set ssl with several versions, and refuses unknown options (A29)', () => {
    const g = parseText('set ssl options { verify: enable, selfsigned: allow, version: -sslv3 tlsv12 tlsv13, ciphers: "HIGH", cacertificatefile: /etc/ca.pem }').globals;
    assert.deepEqual(g.ssl, { verify: true, selfSigned: true, versions: ['-sslv3', 'tlsv12', 'tlsv13'], ciphers: 'HIGH', cacertificatefile: '/etc/ca.pem' });
    assert.match(parseErrorText('set ssl { bogus: 1 }'), /^test\.rc:1: syntax error 'bogus'/);
    assert.match(parseErrorText('set ssl { version: tlsv99 }'), /^test\.rc:1: syntax error 'tlsv99'/);
  });

  it('reads every Monit limit with its unit, merged with concurrency (A31, A32)', () => {
    const g = parseText('set limits { programOutput: 1 kB, sendExpectBuffer: 2 kB, fileContentBuffer: 512 B, httpContentBuffer: 1 MB, networkTimeout: 5 s, programTimeout: 2 m, stopTimeout: 500 ms, startTimeout: 30 s, restartTimeout: 40 s, concurrency: 4 }').globals;
    assert.deepEqual(g.limits, {
      programOutput: 1024, sendExpectBuffer: 2048, fileContentBuffer: 512, httpContentBuffer: 1024 * 1024,
      networkTimeout: 5000, programTimeout: 120_000, stopTimeout: 500, startTimeout: 30_000, restartTimeout: 40_000,
    });
    assert.equal(g.concurrency, 4);
    assert.equal(parseText('set expectbuffer 1 kb').globals.limits?.sendExpectBuffer, 1024);
    assert.match(parseErrorText('set limits { execTimeout: 10 s }'), /^test\.rc:1: syntax error 'execTimeout'/);
    assert.match(parseErrorText('set limits { programTimeout: 0 s }'), /^test\.rc:1: The limit must be greater than 0 '0'/);
  });

  it('reads set mmonit collectors, with timeout and register without credentials (A34)', () => {
    const g = parseText('set httpd port 2812 allow admin:monit\nset mmonit http://a:b@10.0.0.1:8080/collector with timeout 10 seconds, https://10.0.0.2/collector and register without credentials').globals;
    assert.deepEqual(g.mmonit?.map((m) => [m.url, m.timeoutMs, m.registerCredentials]), [
      ['http://a:b@10.0.0.1:8080/collector', 10_000, true],
      ['https://10.0.0.2/collector', undefined, false],
    ]);
    assert.match(parseErrorText('set mmonit ftp://x/'), /^test\.rc:1: syntax error 'ftp:\/\/x\/'/);
    assert.match(parseErrorText('set mmonit http://x/c hostgroups [a]'), /^test\.rc:1: syntax error 'hostgroups'/);
  });

  it('warns, as Monit, when mmonit has no httpd', () => {
    assert.deepEqual(parseText('set mmonit http://x/collector').warnings.map((w) => w.message), ["M/Monit enabled but no httpd allowed -- please add 'set httpd' statement"]);
  });
});
