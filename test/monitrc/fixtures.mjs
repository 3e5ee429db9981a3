// Fixtures the reference snippets refer to (Monit's harness used /tmp/mv), made in a temp folder.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The two lines Monit's harness put before every snippet (so line numbers match Appendix A). */
export const PREFIX_LINES = 2;

/** Create f.txt, prog.sh, patterns, htpasswd, monit.pem (0600), open.pem (0644) and conf.d/ under `dir`. */
export function makeFixtures(dir) {
  writeFileSync(join(dir, 'f.txt'), 'hello');
  writeFileSync(join(dir, 'prog.sh'), '#!/bin/sh\necho ok\n');
  chmodSync(join(dir, 'prog.sh'), 0o755);
  writeFileSync(join(dir, 'patterns'), '^panic\nERROR [0-9]+\n');
  writeFileSync(join(dir, 'htpasswd'), 'john:$apr1$x$y\npaul:$apr1$x$y\n');
  writeFileSync(join(dir, 'monit.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  chmodSync(join(dir, 'monit.pem'), 0o600);
  writeFileSync(join(dir, 'open.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  chmodSync(join(dir, 'open.pem'), 0o644);
  mkdirSync(join(dir, 'conf.d'), { recursive: true });
  writeFileSync(join(dir, 'conf.d', 'web'), 'check host web with address 127.0.0.1\n  if failed port 80 then alert\n');
}

/** Write case `id` as `dir/ID.rc` (mode 0600) with the harness prefix; returns its path. */
export function writeCase(dir, id, text) {
  const body = `set idfile ${dir}/id\nset statefile ${dir}/state\n${text.replaceAll('@MV@', dir)}\n`;
  const file = join(dir, `${id}.rc`);
  writeFileSync(file, body);
  chmodSync(file, 0o600);
  return file;
}

/** Monit's `-v` service headers and the `-t --json` type they correspond to. */
const MONIT_TYPES = {
  Process: 'process', File: 'file', Fifo: 'fifo', Directory: 'directory', Filesystem: 'filesystem',
  'Remote Host': 'host', Program: 'program', Network: 'network', System: 'system',
};

/** `Process Name          = nginx` lines of `monit -t -v`, in order. */
export function monitServices(verbose) {
  const out = [];
  for (const line of verbose.split('\n')) {
    const m = /^(Process|File|Fifo|Directory|Filesystem|Remote Host|Program|Network|System) Name\s+= (.*)$/.exec(line);
    if (m) out.push({ type: MONIT_TYPES[m[1]], name: m[2] });
  }
  return out;
}

