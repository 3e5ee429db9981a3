import type { Socket } from 'node:net';
import type { PooledProtocolContext } from '@warden/sdk';
import type { Pool } from 'undici';

/**
 * Keep-alive connection pools for `protocol http` on port tests: one undici `Pool` per
 * connection key (addresses, port, source; the `protocols` family names it), shared by every
 * service and cycle that tests the same endpoint. 5000 host checks on one server then reuse a
 * handful of connections (as many as run at once) instead of opening and closing 5000.
 *
 * This is process-wide state, against STYLE rule 12, on purpose: a pool is a cache of
 * interchangeable connections, like undici's own global dispatcher, and the sdk has no
 * plugin-scoped resource with a dispose hook at daemon stop (see `PoolRegistry`).
 */

/**
 * Idle sockets are closed after this long, or sooner when the server's `Keep-Alive: timeout`
 * says so. undici's margin before the server's timeout is cut from its 2 s default so that a
 * server with a short timeout (node's default is 5 s) still gets its connection reused.
 */
const KEEP_ALIVE_MS = 30_000;
const KEEP_ALIVE_MARGIN_MS = 250;
/** How long a pool nobody asked for is kept (a reload moved its rules elsewhere). */
const UNUSED_POOL_MS = 10 * 60_000;
/** Bound on opening one connection when the request that asked for it has gone. */
const CONNECT_LIMIT_MS = 30_000;

interface Entry {
  readonly pool: Pool;
  lastUsed: number;
}

/**
 * The pools by key. Idle sockets are unreferenced by undici, so they never keep the daemon
 * alive; a pool unused for {@link UNUSED_POOL_MS} is closed. What would replace the module
 * instance: a plugin-scoped resource the sdk creates per daemon and disposes at stop or reload.
 */
export class PoolRegistry {
  private readonly pools = new Map<string, Entry>();
  private lastSweep = 0;

  /** The pool for `ctx.key`, made on first use with `ctx.connect` as its connector. */
  async get(ctx: PooledProtocolContext<unknown>): Promise<Pool> {
    const now = Date.now();
    const found = this.pools.get(ctx.key);
    if (found && !found.pool.closed && !found.pool.destroyed) {
      found.lastUsed = now;
      return found.pool;
    }
    this.sweep(now);
    // Loaded on first use: importing undici costs ~240 ms of start-up for every daemon.
    const { Pool } = await import('undici');
    const raced = this.pools.get(ctx.key);
    if (raced && !raced.pool.closed && !raced.pool.destroyed) return raced.pool;
    const connect = ctx.connect;
    const pool = new Pool(`http://${ctx.peer.host.includes(':') ? `[${ctx.peer.host}]` : ctx.peer.host}:${ctx.peer.port}`, {
      // As many connections as requests in flight: the engine's concurrency bounds them.
      connections: null,
      pipelining: 1,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS,
      // The family opens every connection (addresses in order); undici only speaks over it.
      connect: (_opts, callback) => {
        connect(AbortSignal.timeout(CONNECT_LIMIT_MS)).then(
          (socket: Socket) => callback(null, socket),
          (err: Error) => callback(err, null),
        );
      },
    });
    this.pools.set(ctx.key, { pool, lastUsed: now });
    return pool;
  }

  /** Close every pool (a daemon stop would call this; tests do). */
  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((e) => e.pool.destroy().catch(() => undefined)));
  }

  /** Close pools no test used for a while, at most once a minute. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.pools) {
      if (now - entry.lastUsed < UNUSED_POOL_MS) continue;
      this.pools.delete(key);
      void entry.pool.close().catch(() => undefined);
    }
  }
}

/** The daemon's pools (see the file comment for why this one instance is module state). */
export const httpPools = new PoolRegistry();
