// Real peers for the alert suites: an SMTP server (smtp-server) whose mails are parsed with
// mailparser, a server that accepts connections and never answers, and free-port lookup.
import { createServer } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start an SMTP server on 127.0.0.1. Options: `port`, `secure` (implicit TLS), `auth`
 * ({ user, pass }: AUTH required), `reject` (recipients refused with 550), `delayMs` (before
 * accepting DATA), `stallAt` (the Nth mail is taken but never answered). `mails` collects { envelope, parsed, raw, secure, user, at } in arrival order,
 * `connects` the time of each connection.
 */
export async function startSmtp(options = {}) {
  const mails = [];
  const connects = [];
  const server = new SMTPServer({
    logger: false,
    closeTimeout: 1000,
    disableReverseLookup: true,
    secure: !!options.secure,
    authOptional: !options.auth,
    authMethods: ['PLAIN', 'LOGIN'],
    ...(options.auth ? {} : { disabledCommands: ['AUTH'] }),
    onAuth(auth, session, cb) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, session, cb) {
      if ((options.reject ?? []).includes(address.address)) return cb(Object.assign(new Error(`<${address.address}>: Recipient address rejected`), { responseCode: 550 }));
      return cb();
    },
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => {
        const at = Date.now();
        const raw = Buffer.concat(chunks).toString('utf8');
        const finish = async () => {
          const parsed = await simpleParser(raw);
          mails.push({
            envelope: { from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) },
            parsed, raw, secure: session.secure, user: session.user, at,
          });
          cb();
        };
        if (options.stallAt === mails.length + 1) {
          // Take the mail but never answer: the client cannot know it was accepted.
          mails.push({ envelope: { from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) }, parsed: await simpleParser(raw), raw, at });
          return;
        }
        if (options.delayMs) setTimeout(finish, options.delayMs);
        else await finish();
      });
    },
  });
  const port = options.port ?? (await freePort());
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  // The TCP accept itself: smtp-server calls its own onConnect ~100 ms later.
  server.server.on('connection', () => connects.push(Date.now()));
  return {
    port,
    mails,
    /** When each connection was opened (ms since the epoch). */
    connects,
    /** Mails whose subject matches `re`. */
    matching: (re) => mails.filter((m) => re.test(m.parsed.subject ?? '')),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A TCP server that accepts connections and never says a word (a hung mail server). */
export async function startSilent() {
  const sockets = new Set();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    connections: () => sockets.size,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(resolve);
    }),
  };
}
