// Dialogue (PostgreSQL frontend/backend protocol 3.0,
// https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP):
//   C: StartupMessage  int32 length, int32 196608 (3.0), "user\0U\0database\0D\0\0"
//   S: 'R' Authentication request, or 'E' ErrorResponse
//   Without `username` (user and database "root"): either answer proves a PostgreSQL server.
//   With it: R 3 (cleartext) → C: 'p' password;  R 5 (MD5, 4-byte salt) → C: 'p' "md5"+md5(md5(password+user)+salt);
//            R 10 (SASL, SCRAM) → treated as success, as Monit;  then S: R 0 (AuthenticationOk) or E (failed)
//            after R 0: S: ParameterStatus/BackendKeyData/Notice … ReadyForQuery 'Z', or E (no such database)
//   C: 'X' Terminate
import { createHash } from 'node:crypto';
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';
import { CREDENTIAL_DOCS, parseCredentials } from './options.js';

/** `protocol pgsql [username U] [password P] [database D]` options (Monit P23). */
export interface PgsqlOptions {
  readonly username?: string;
  readonly password?: string;
  readonly database?: string;
}

const AUTH_OK = 0;
const AUTH_CLEARTEXT = 3;
const AUTH_MD5 = 5;
const AUTH_SASL = 10;

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function startup(user: string, database: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0${database}\0\0`, 'utf8');
  const msg = Buffer.alloc(8 + body.length);
  msg.writeInt32BE(msg.length, 0);
  msg.writeInt32BE(196608, 4);
  body.copy(msg, 8);
  return msg;
}

async function readMessage(reader: Reader, what: string, types = 'RE'): Promise<{ type: string; body: Buffer }> {
  const head = await reader.bytes(5, what);
  const type = String.fromCharCode(head[0]!);
  const length = head.readInt32BE(1);
  if (!types.includes(type) || length < 4 || length > 65536) throw new DialogueError('PGSQL: invalid startup response');
  return { type, body: await reader.bytes(length - 4, what) };
}

/** After AuthenticationOk the backend starts the session: ReadyForQuery, or an error such as a missing database. */
async function awaitReady(reader: Reader): Promise<void> {
  for (let i = 0; i < 256; i++) {
    const m = await readMessage(reader, 'session start', 'SKNZE');
    if (m.type === 'Z') return;
    if (m.type === 'E') throw new DialogueError(`PGSQL: login failed -- ${errorText(m.body)}`);
  }
  throw new DialogueError('PGSQL: no ReadyForQuery after authentication');
}

/** The `M` (message) field of an ErrorResponse. */
function errorText(body: Buffer): string {
  for (const field of body.toString('utf8').split('\0')) if (field.startsWith('M')) return quote(field.slice(1));
  return 'unknown error';
}

/** md5 authentication: "md5" + md5hex(md5hex(password + user) + salt). */
export function md5Password(user: string, password: string, salt: Buffer): string {
  const inner = createHash('md5').update(password + user).digest('hex');
  return `md5${createHash('md5').update(inner).update(salt).digest('hex')}`;
}

/** `protocol pgsql`. */
export const pgsqlProtocol = defineProtocol<PgsqlOptions>({
  name: 'pgsql',
  summary: 'PostgreSQL: a startup message answered by an authentication request, and a login when a username is given',
  defaultPort: 5432,
  options: { ...CREDENTIAL_DOCS, database: { type: 'string', description: 'Database to connect to.', default: 'the user name; root without a username' } },
  parse(ts) {
    let database: string | undefined;
    const c = parseCredentials(ts, { database: () => { database = ts.string('a database name'); } });
    return { ...c, ...(database !== undefined ? { database } : {}) };
  },
  speak: (ctx) =>
    converse(async () => {
      const o = ctx.options ?? {};
      const reader = new Reader(ctx.socket, ctx.signal);
      const user = o.username ?? 'root';
      await send(ctx.socket, startup(user, o.database ?? user));
      let said: string | undefined;
      for (let round = 0; round < 3 && said === undefined; round++) {
        const m = await readMessage(reader, 'startup response');
        if (o.username === undefined) said = m.type === 'R' ? 'authentication requested' : 'server answered with an error (startup refused)';
        else if (m.type === 'E') throw new DialogueError(`PGSQL: login failed -- ${errorText(m.body)}`);
        else {
          const code = m.body.length >= 4 ? m.body.readInt32BE(0) : -1;
          if (code === AUTH_OK) {
            await awaitReady(reader);
            said = `logged in as ${quote(o.username)}`;
          }
          else if (code === AUTH_SASL) said = 'SCRAM authentication requested (not performed)';
          else if (code === AUTH_CLEARTEXT) await send(ctx.socket, message('p', Buffer.from(`${o.password ?? ''}\0`, 'utf8')));
          else if (code === AUTH_MD5) await send(ctx.socket, message('p', Buffer.from(`${md5Password(o.username, o.password ?? '', m.body.subarray(4, 8))}\0`, 'latin1')));
          else throw new DialogueError(`PGSQL: unsupported authentication method ${code}`);
        }
      }
      if (said === undefined) throw new DialogueError('PGSQL: login did not complete');
      await send(ctx.socket, Buffer.from([0x58, 0, 0, 0, 4]));
      return said;
    }),
});
