// `check host … port … protocol http` against a node HTTP server on loopback (its own process).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../lib/proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** N hosts, each `if failed port P protocol http request "/health"`, all against one server. */
export const hostHttp = {
  name: 'host-http',
  title: 'check host … if failed port P protocol http request "/health" (node server on 127.0.0.1)',
  kind: 'cycle',
  family: 'host',
  sizes: { full: [100, 1000, 5000], quick: [100] },
  requires: ['service-type:host', 'protocol:http'],
  async setup(_dir, n) {
    const server = spawn(process.execPath, [join(here, '../lib/http-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise((resolve, reject) => {
      server.stdout.once('data', (d) => resolve(Number(String(d).trim())));
      server.once('exit', (code) => reject(new Error(`http server exited (${code})`)));
    });
    const body = [];
    for (let i = 0; i < n; i++) {
      body.push(`check host h${i} with address 127.0.0.1`, `  if failed port ${port} protocol http request "/health" then alert`, '');
    }
    return { body, cleanup: () => stopChild(server) };
  },
};
