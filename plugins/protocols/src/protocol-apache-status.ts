// Dialogue (HTTP/1.1, RFC 9112; Apache mod_status machine-readable page,
// https://httpd.apache.org/docs/2.4/mod/mod_status.html; Monit's src/protocols/apache_status.c):
//   C: GET <path>?auto HTTP/1.1, Host, Accept */*, User-Agent, Connection: close [, Authorization: Basic]
//   S: HTTP/1.x 200, headers, then lines until `Scoreboard: ` followed by one character per worker
//   Each `…limit OP N%` is checked against the share of workers in that state, in Monit's order.
import { compare, defineProtocol, type Operator } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';
import { parseOptionWords } from './options.js';

/** Monit's limit names, the scoreboard letter each counts, and the words of its message. */
const LIMITS = [
  ['loglimit', 'L', 'logging'],
  ['startlimit', 'S', 'starting'],
  ['requestlimit', 'R', 'reading requests'],
  ['replylimit', 'W', 'sending a reply'],
  ['keepalivelimit', 'K', 'in keepalive'],
  ['dnslimit', 'D', 'waiting for DNS'],
  ['closelimit', 'C', 'closing connections'],
  ['gracefullimit', 'G', 'finishing gracefully'],
  ['cleanuplimit', 'I', 'in idle cleanup'],
  ['waitlimit', '_', 'waiting for a connection'],
] as const;
/** Scoreboard letters that count as workers; `.` is an open slot. */
const COUNTED = new Set(['S', 'R', 'W', 'K', 'D', 'C', 'L', 'G', 'I', '_', '.']);
const MAX_LINES = 1000;

/** `protocol apache-status` options (Monit P1). */
export interface ApacheStatusOptions {
  readonly path: string;
  readonly username?: string;
  readonly password?: string;
  readonly limits: ReadonlyArray<{ readonly name: string; readonly op: Operator; readonly percent: number }>;
}

/** The share of each state, as Monit computes it (integer percent), and the first limit it breaks. */
export function judgeScoreboard(board: string, limits: ApacheStatusOptions['limits']): string {
  const counts = new Map<string, number>();
  let total = 0;
  for (const c of board) {
    if (!COUNTED.has(c)) continue;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    total++;
  }
  if (total === 0) return 'idle server';
  for (const [name, letter, words] of LIMITS) {
    const limit = limits.find((l) => l.name === name);
    const share = Math.floor((100 * (counts.get(letter) ?? 0)) / total);
    // A limit of 0 is Monit's "not set".
    if (limit && limit.percent > 0 && compare(share, limit.op, limit.percent)) {
      throw new DialogueError(`APACHE-STATUS: error -- ${share} percent of processes are ${words}`);
    }
  }
  return `${total} workers`;
}

/** `protocol apache-status [path P] [username U] [password P] LIMIT OP N% [or LIMIT OP N% …]`. */
export const apacheStatusProtocol = defineProtocol<ApacheStatusOptions>({
  name: 'apache-status',
  summary: 'Apache mod_status: the share of workers in each state against limits',
  defaultPort: 80,
  options: {
    path: { type: 'string', description: 'The status page.', default: '/server-status' },
    username: { type: 'string', description: 'Basic authentication user.' },
    password: { type: 'string', description: 'Basic authentication password.' },
    loglimit: { type: 'comparison', description: 'OP N% of workers logging; likewise closelimit, dnslimit, keepalivelimit, replylimit, requestlimit, startlimit, waitlimit, gracefullimit, cleanuplimit. At least one is required (Monit M13).' },
  },
  parse(ts) {
    let path = '/server-status';
    let username: string | undefined;
    let password: string | undefined;
    const limits: Array<ApacheStatusOptions['limits'][number]> = [];
    const handlers: Record<string, () => void> = {
      path: () => { path = ts.path(); },
      username: () => { username = ts.string('a user name'); },
      password: () => { password = ts.string('a password'); },
    };
    for (const [name] of LIMITS) {
      handlers[name] = () => {
        const c = ts.comparison(['percent']);
        limits.push({ name, op: c.op, percent: c.value });
      };
    }
    parseOptionWords(ts, handlers);
    if (limits.length === 0) ts.syntaxError();
    return { path, limits, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
  },
  speak: (ctx) =>
    converse(async () => {
      const o = ctx.options;
      const reader = new Reader(ctx.socket, ctx.signal);
      const host = ctx.peer ? `${ctx.peer.host}:${ctx.peer.port}` : 'localhost';
      const auth = o.username !== undefined ? `Authorization: Basic ${Buffer.from(`${o.username}:${o.password ?? ''}`).toString('base64')}\r\n` : '';
      await send(ctx.socket, `GET ${o.path}?auto HTTP/1.1\r\nHost: ${host}\r\nAccept: */*\r\nUser-Agent: warden\r\nConnection: close\r\n${auth}\r\n`);
      const status = await reader.line('APACHE-STATUS response');
      const m = /^\S+\s+(\d+)/.exec(status);
      if (!m) throw new DialogueError(`APACHE-STATUS: error -- cannot parse HTTP status in response: ${quote(status)}`);
      if (m[1] !== '200') throw new DialogueError(`APACHE-STATUS: error -- server returned status ${m[1]}`);
      let inBody = false;
      for (let i = 0; i < MAX_LINES; i++) {
        const line = await reader.line('APACHE-STATUS scoreboard').catch((err: unknown) => {
          if (err instanceof DialogueError) throw new DialogueError('APACHE-STATUS: error -- no scoreboard found');
          throw err;
        });
        if (!inBody) { inBody = line === ''; continue; }
        if (line.startsWith('Scoreboard: ')) return judgeScoreboard(line.slice(12), o.limits);
      }
      throw new DialogueError('APACHE-STATUS: error -- no scoreboard found');
    }),
});
