import assert from 'node:assert/strict';
import { buildEventEnv, formatEventDate } from './event-env.js';
import { lookupUid } from './passwd.js';

function inUtc<T>(fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = 'UTC';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}

describe('buildEventEnv', () => {
  const date = Date.UTC(2026, 10, 22, 8, 34, 35);

  it('formats MONIT_DATE like Monit', () => {
    assert.equal(inUtc(() => formatEventDate(date)), 'Sun, 22 Nov 2026 08:34:35');
    assert.equal(inUtc(() => formatEventDate(Date.UTC(2027, 0, 4, 1, 2, 3))), 'Mon, 04 Jan 2027 01:02:03');
  });

  it('sets every MONIT_ variable and its WARDEN_ twin', () => {
    const env = inUtc(() =>
      buildEventEnv({
        service: 'failprog',
        event: 'Status failed',
        description: 'status failed (2) -- stderr line',
        date,
        host: 'mrtest',
        pid: -1,
        programStatus: 2,
      }),
    );
    const monit = {
      MONIT_SERVICE: 'failprog',
      MONIT_EVENT: 'Status failed',
      MONIT_DESCRIPTION: 'status failed (2) -- stderr line',
      MONIT_DATE: 'Sun, 22 Nov 2026 08:34:35',
      MONIT_HOST: 'mrtest',
      MONIT_PROCESS_PID: '-1',
      MONIT_PROGRAM_STATUS: '2',
    };
    const warden = Object.fromEntries(Object.entries(monit).map(([k, v]) => [k.replace('MONIT_', 'WARDEN_'), v]));
    assert.deepEqual(env, { ...monit, ...warden });
  });

  it('leaves out what is not known', () => {
    assert.deepEqual(buildEventEnv({ service: 'web', programStatus: 0 }), {
      MONIT_SERVICE: 'web',
      WARDEN_SERVICE: 'web',
      MONIT_PROGRAM_STATUS: '0',
      WARDEN_PROGRAM_STATUS: '0',
    });
  });
});

describe('lookupUid', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\n# comment\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nbad:x::1::\n';
  const read = (): string => passwd;

  it('finds name, primary gid and home', () => {
    assert.deepEqual(lookupUid(65534, read), { name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' });
    assert.deepEqual(lookupUid(0, read), { name: 'root', uid: 0, gid: 0, home: '/root' });
  });

  it('is undefined for an unknown uid or an unreadable file', () => {
    assert.equal(lookupUid(1000, read), undefined);
    assert.equal(
      lookupUid(0, () => {
        throw new Error('EACCES');
      }),
      undefined,
    );
  });
});
