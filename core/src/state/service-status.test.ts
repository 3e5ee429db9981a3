import assert from 'node:assert/strict';
import { serviceStatusBits, serviceStatusText } from './service-status.js';

describe('service status', () => {
  it('is OK with nothing failing', () => {
    assert.equal(serviceStatusText([]), 'OK');
    assert.equal(serviceStatusBits([]), 0);
  });

  it('shows the first failing rule', () => {
    assert.equal(serviceStatusText([{ event: 'nonexist', state: 'failed' }]), 'Does not exist');
    assert.equal(
      serviceStatusText([{ event: 'status', state: 'failed' }, { event: 'nonexist', state: 'failed' }]),
      'Status failed',
    );
    assert.equal(serviceStatusText([{ event: 'checksum', state: 'changed' }]), 'Checksum changed');
  });

  it('ORs the legacy bits', () => {
    assert.equal(
      serviceStatusBits([
        { event: 'checksum', state: 'changed' },
        { event: 'nonexist', state: 'failed' },
        { event: 'checksum', state: 'failed' },
      ]),
      0x201,
    );
    assert.equal(serviceStatusBits([{ event: 'exist', state: 'failed' }, { event: 'byteout', state: 'failed' }]), 0x48000000);
  });
});
