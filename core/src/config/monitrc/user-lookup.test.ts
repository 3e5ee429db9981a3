import assert from 'node:assert/strict';
import { parseIdTable, systemUserLookup } from './user-lookup.js';

describe('user lookup', () => {
  it('parses passwd and group lines, first entry wins', () => {
    const t = parseIdTable('root:x:0:0:root:/root:/bin/bash\n# comment\nnobody:x:65534:65534::/:/bin/false\nroot:x:5:5\n\n');
    assert.deepEqual([...t], [['root', 0], ['nobody', 65534]]);
  });

  it('reads /etc/passwd and /etc/group once, through the injected reader', () => {
    const reads: string[] = [];
    const files: Record<string, string> = { '/etc/passwd': 'www:x:33:33::/var/www:/bin/sh\n', '/etc/group': 'staff:x:50:\n' };
    const users = systemUserLookup((p) => {
      reads.push(p);
      return files[p] ?? '';
    });
    assert.equal(users.uid('www'), 33);
    assert.equal(users.uid('nosuch'), undefined);
    assert.equal(users.gid('staff'), 50);
    assert.deepEqual(reads, ['/etc/passwd', '/etc/group']);
  });

  it('treats an unreadable file as empty', () => {
    const users = systemUserLookup(() => {
      throw new Error('EACCES');
    });
    assert.equal(users.uid('root'), undefined);
  });
});
