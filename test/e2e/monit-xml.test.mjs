// warden's /_status?format=xml against a capture of Monit 5.33's on the same control file:
// the same services in the same order, the same type codes and element names, element by
// element; the values that must agree (status bits, monitor state, mode, uid, size,
// program status and output) agree.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { startWarden, stopChild, tempDir, waitFor, writeControlFile, freePort } from './harness.mjs';


/** The element tree of simple XML (no attributes but `type`, CDATA kept as text). */
function parse(xml) {
  const root = { name: '#root', children: [], text: '' };
  const stack = [root];
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<\?[^>]*\?>|<(\/?)([A-Za-z_][\w-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m; (m = re.exec(xml)); ) {
    const top = stack[stack.length - 1];
    if (m[1] !== undefined) top.text += m[1];
    else if (m[3] && m[2] === '/') stack.pop();
    else if (m[3]) {
      const node = { name: m[3], attrs: m[4].trim(), children: [], text: '' };
      top.children.push(node);
      if (m[5] !== '/') stack.push(node);
    } else if (m[6] && m[6].trim()) top.text += m[6];
  }
  return root.children[0];
}

const child = (node, name) => node.children.find((c) => c.name === name);
const shape = (node) => `${node.name}${node.attrs ? `[${node.attrs}]` : ''}(${node.children.map(shape).join(',')})`;

async function xmlOf(port) {
  const res = await request(`http://127.0.0.1:${port}/_status?format=xml`, { headers: { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` } });
  return res.body.text();
}

describe("warden's XML status next to Monit 5.33's", function () {
  this.timeout(60_000);
  let t;
  let monitPort;
  let wardenPort;
  let h;
  const monitFile = () => join(t.dir, 'monit', 'monitrc');

  before(async () => {
    t = tempDir();
    execFileSync('mkdir', ['-p', join(t.dir, 'monit'), join(t.dir, 'warden')]);
    execFileSync('mkfifo', [join(t.dir, 'q.fifo')]);
    monitPort = await freePort();
    wardenPort = await freePort();
    const services = [
      'check file hosts with path /etc/hosts',
      '  if does not exist then alert',
      `check file ghost with path ${join(t.dir, 'none')}`,
      '  if does not exist then alert',
      `check directory data with path ${t.dir}`,
      `check fifo q with path ${join(t.dir, 'q.fifo')}`,
      'check program failing with path "/bin/sh -c \'echo bad; exit 2\'"',
      '  if status != 0 then alert',
    ];
    // No `check system`: both add the implicit one, named after the host (reference A38).
    const control = (who, port) => writeControlFile(join(t.dir, who, 'monitrc'), [
      'set daemon 1',
      `set pidfile ${join(t.dir, who, 'pid')}`,
      `set idfile ${join(t.dir, who, 'id')}`,
      `set statefile ${join(t.dir, who, 'state')}`,
      `set log ${join(t.dir, who, 'log')}`,
      `set httpd port ${port} and use address 127.0.0.1`,
      '  allow admin:"secret"',
      ...services,
      '',
    ].join('\n'));
    control('monit', monitPort);
    const wardenFile = control('warden', wardenPort);
    execFileSync('monit', ['-c', monitFile()]);
    h = startWarden(['-I', '-c', wardenFile]);
    // Both need two cycles: the program result arrives in the second.
    await waitFor(async () => {
      try {
        return /<program>/.test(await xmlOf(monitPort)) && /<program>/.test(await xmlOf(wardenPort));
      } catch {
        return false;
      }
    }, 20_000, 'both daemons to report the program');
  });
  after(async () => {
    try {
      execFileSync('monit', ['-c', monitFile(), 'quit']);
    } catch {
      // already gone
    }
    if (h) await stopChild(h);
    t.cleanup();
  });

  it('lists the same services with the same type codes and element structure', async () => {
    const monit = parse(await xmlOf(monitPort));
    const warden = parse(await xmlOf(wardenPort));
    assert.equal(shape(child(warden, 'server')).replace(/,credentials\(.*?\)\)$/, ')'), shape(child(monit, 'server')).replace(/,credentials\(.*?\)\)$/, ')'));
    assert.equal(shape(child(warden, 'platform')), shape(child(monit, 'platform')));
    const declared = (root) => root.children.filter((c) => c.name === 'service');
    const ms = declared(monit);
    const ws = declared(warden);
    assert.deepEqual(ws.map((s) => [child(s, 'name').text, s.attrs]), ms.map((s) => [child(s, 'name').text, s.attrs]));
    for (let i = 0; i < ms.length; i++) {
      assert.equal(shape(ws[i]), shape(ms[i]), `service ${child(ms[i], 'name').text}`);
    }
  });

  it('agrees on the values that describe the same state', async () => {
    const monit = parse(await xmlOf(monitPort));
    const warden = parse(await xmlOf(wardenPort));
    const byName = (root) => new Map(root.children.filter((c) => c.name === 'service').map((s) => [child(s, 'name').text, s]));
    const m = byName(monit);
    const w = byName(warden);
    for (const name of ['hosts', 'ghost', 'data', 'q', 'failing']) {
      for (const field of ['status', 'monitor', 'monitormode', 'onreboot', 'mode', 'uid', 'gid', 'size']) {
        const mv = child(m.get(name), field)?.text;
        assert.equal(child(w.get(name), field)?.text, mv, `${name}/${field}`);
      }
    }
    const prog = (root) => child(root.get('failing'), 'program');
    assert.equal(child(prog(w), 'status').text, child(prog(m), 'status').text);
    assert.equal(child(prog(w), 'output').text.trim(), child(prog(m), 'output').text.trim());
  });
});
