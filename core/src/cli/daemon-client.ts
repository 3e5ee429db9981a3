import { randomBytes } from 'node:crypto';
import type { Agent } from 'undici';
import type { HttpdSettings } from '../config/model.js';

/** An answer from the daemon's HTTP interface. */
export interface DaemonReply {
  readonly status: number;
  readonly body: string;
}

/** Thrown when nothing answers at the configured address: the daemon is not running. */
export class DaemonNotRunning extends Error {}

/**
 * Talks to a running daemon the way Monit's CLI does (reference monit-behaviour §3): every
 * request a POST with form fields, its own CSRF token as cookie and field, and the first
 * cleartext `allow USER:PASSWORD` of the control file as Basic credentials.
 */
export class DaemonClient {
  private readonly token = randomBytes(16).toString('hex');
  private agent: Agent | undefined;
  private readonly socketPath: string | undefined;
  private readonly insecureTls: boolean;
  private readonly origin: string;
  private readonly auth: string | undefined;

  constructor(httpd: HttpdSettings) {
    if (httpd.unixsocket) {
      this.socketPath = httpd.unixsocket.path;
      this.insecureTls = false;
      this.origin = 'http://localhost';
    } else {
      const host = !httpd.address || httpd.address === '0.0.0.0' ? '127.0.0.1' : httpd.address === '::' ? '[::1]' : httpd.address.includes(':') ? `[${httpd.address}]` : httpd.address;
      this.origin = `${httpd.ssl ? 'https' : 'http'}://${host}:${httpd.port}`;
      this.socketPath = undefined;
      this.insecureTls = !!httpd.ssl;
    }
    const user = httpd.users[0];
    this.auth = user ? `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}` : undefined;
  }

  /** POST `fields` to `path`; rejects with {@link DaemonNotRunning} when nothing listens. */
  async post(path: string, fields: ReadonlyArray<[string, string]>): Promise<DaemonReply> {
    const body = new URLSearchParams([...fields, ['securitytoken', this.token]]).toString();
    // Loaded here, not at start-up: only the commands that talk to the daemon need undici.
    const { Agent, request } = await import('undici');
    if (!this.agent && this.socketPath) this.agent = new Agent({ connect: { socketPath: this.socketPath } });
    if (!this.agent && this.insecureTls) this.agent = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const res = await request(`${this.origin}${path}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `securitytoken=${this.token}`,
          ...(this.auth ? { authorization: this.auth } : {}),
        },
        ...(this.agent ? { dispatcher: this.agent } : {}),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      return { status: res.statusCode, body: await res.body.text() };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ENOENT') throw new DaemonNotRunning(String(code));
      throw err;
    }
  }

  /** Release the connection pool. */
  async close(): Promise<void> {
    await this.agent?.close();
  }
}
