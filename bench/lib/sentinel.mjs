// Cycle markers. Every control file starts with `check host bench_first … port P1` and ends
// with `check host bench_last … port P2`; both point at this process. Each cycle, each
// daemon connects once to each port, so the accept times on P1 mark the start of a cycle
// and those on P2 its end (Monit checks services one after the other in file order; warden
// runs up to 8 at once, so its P2 accept can precede the last few checks of the cycle by at
// most one check). Nothing is logged for a passing check, so this adds one loopback connect
// per cycle and marker to both daemons, and works without `-v`.
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Two loopback TCP listeners that record when each cycle starts and ends. */
export class Sentinels {
  first = [];
  last = [];
  /** Called synchronously on every end-of-cycle accept (the bench samples /proc there). */
  onLast = undefined;
  waiters = [];
  servers = [];

  async start() {
    const listen = (record) =>
      new Promise((resolve, reject) => {
        const server = createServer((socket) => {
          record(performance.now());
          socket.on('error', () => {});
          socket.on('data', () => {});
          socket.on('end', () => socket.end());
        });
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    const a = await listen((t) => this.first.push(t));
    const b = await listen((t) => {
      this.last.push(t);
      this.onLast?.(t, this.last.length);
      for (const w of [...this.waiters]) if (this.last.length >= w.count) w.resolve();
    });
    this.servers = [a, b];
    this.ports = { first: a.address().port, last: b.address().port };
    return this;
  }

  /** Forget the marks of the previous run. */
  reset() {
    this.first = [];
    this.last = [];
    this.onLast = undefined;
    this.waiters = [];
  }

  /** Resolve once `count` cycle ends were seen; reject after `timeoutMs`. */
  waitLast(count, timeoutMs) {
    if (this.last.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { count, resolve: () => { clearTimeout(t); this.waiters = this.waiters.filter((x) => x !== w); resolve(); } };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`no end of cycle ${count} within ${timeoutMs} ms (seen ${this.last.length})`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** The service lines that mark a cycle's start (put first) and end (put last). */
  services() {
    return {
      head: ['check host bench_first with address 127.0.0.1', `  if failed port ${this.ports.first} then alert`, ''],
      tail: ['check host bench_last with address 127.0.0.1', `  if failed port ${this.ports.last} then alert`, ''],
    };
  }

  close() {
    for (const s of this.servers) s.close();
  }
}
