import assert from 'node:assert/strict';
import { formatReport, parseControl, parseUdpUrl } from './udp.js';

describe('pmtr UDP formats', () => {
  it('parses udp:// addresses like pmtr', () => {
    assert.deepEqual(parseUdpUrl('udp://127.0.0.1:19999'), { host: '127.0.0.1', port: 19999 });
    assert.deepEqual(parseUdpUrl('udp://239.0.0.1:5000@eth2'), { host: '239.0.0.1', port: 5000, iface: 'eth2' });
    assert.deepEqual(parseUdpUrl('udp://127.0.0.1'), { host: '127.0.0.1', port: 0 });
    assert.equal(parseUdpUrl('tcp://127.0.0.1:9'), undefined);
    assert.equal(parseUdpUrl('udp://127.0.0.1:99999'), undefined);
  });

  it('formats the report datagram: running, disabled, never started, done', () => {
    const now = 1_000_000_000_000;
    const text = formatReport('report vm', [
      { name: 'loop', disabled: false, shown: true, startedAt: now - 10_500, pid: 15699, argv0: '/tmp/loop.sh' },
      { name: 'off', disabled: true, shown: true, startedAt: undefined, pid: undefined, argv0: '/bin/sleep' },
      { name: 'ex33', disabled: false, shown: false, startedAt: now, pid: undefined, argv0: '/bin/sh' },
      { name: 'nocmd', disabled: false, shown: true, startedAt: now, pid: undefined, argv0: undefined },
    ], now);
    assert.equal(text, 'report vm\nloop e 10 15699 /tmp/loop.sh\noff d 1000000000 0 /bin/sleep\nnocmd e 0 0 (null)\n');
  });

  it('parses control datagrams: verbs switch the mode, names follow', () => {
    assert.deepEqual(parseControl('enable depjob disable loop bouncer'), [
      { verb: 'enable', name: 'depjob' }, { verb: 'disable', name: 'loop' }, { verb: 'disable', name: 'bouncer' },
    ]);
    assert.deepEqual(parseControl('  enable   loop  '), [{ verb: 'enable', name: 'loop' }]);
    assert.deepEqual(parseControl('disable loop\n'), [{ verb: 'disable', name: 'loop' }]);
    assert.equal(parseControl('frobnicate loop'), undefined);
    assert.equal(parseControl(''), undefined);
    assert.equal(parseControl('enable\tx'), undefined, 'a TAB is part of the word, as in pmtr');
  });
});
