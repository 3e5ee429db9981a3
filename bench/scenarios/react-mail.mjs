// File changed → alert mail accepted by a real SMTP server (smtp-server, in the bench process),
// and the event queue: events kept on disk while the server is down, then delivered when it is
// back (the first one's delay, the bytes per queued event, the delivery rate).
import { appendFileSync, mkdirSync, readdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { writeControl } from '../lib/daemon.mjs';
import { cpuOf } from '../lib/proc.mjs';
import { cyclePhase, latencySummary, logFollower, pollUntil, startAndSettle } from '../lib/react.mjs';
import { sleep } from '../lib/stats.mjs';
import { fileStat } from './files.mjs';

/** Events queued at once while the server is down (the first-delivery and size figures). */
const QUEUED = 5;
/** Events queued at once for the throughput figure: as many services failing in one cycle. */
const BURST = 200;

/**
 * smtp-server waits 100 ms before its greeting to catch clients that talk first; Postfix's
 * smtpd (a local MTA) greets at once, and the pause would be most of what is measured (and all
 * of the throughput). This connection skips it; the rest of the server is unchanged.
 */
class PromptConnection extends SMTPConnection {
  init() {
    this._setListeners(() => this.connectionReady());
  }
}

class PromptServer extends SMTPServer {
  // SMTPServer#connect with PromptConnection (smtp-server 3.x).
  connect(socket, socketOptions) {
    const connection = new PromptConnection(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (err) => this._onError(err));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
  }
}
const Server = typeof SMTPConnection.prototype._setListeners === 'function' ? PromptServer : SMTPServer;

/**
 * An SMTP server on 127.0.0.1:`port` that takes every mail. `listenAt`, `connects` (TCP
 * accepts) and each mail's `at` (the end of DATA) are performance.now() times.
 */
async function startSink(port) {
  const connects = [];
  const mails = [];
  const server = new Server({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    closeTimeout: 500,
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const at = performance.now();
        const subject = /^Subject: (.*)$/m.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
        mails.push({ at, subject });
        cb();
      });
    },
  });
  server.server.on('connection', () => connects.push(performance.now()));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    listenAt: performance.now(),
    connects,
    mails,
    matching: (re) => mails.filter((m) => re.test(m.subject)),
    close: () => Promise.race([new Promise((resolve) => server.close(resolve)), sleep(2000)]),
  };
}

/** The events in a queue folder (warden: `<ms>_<seq>.json` + `.sending` markers; Monit: `<s>_<ptr>`) and their bytes. */
function queueFiles(dir) {
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return { events: 0, bytes: 0, allocated: 0 };
  }
  let bytes = 0;
  let allocated = 0;
  for (const name of names) {
    try {
      const st = statSync(join(dir, name));
      bytes += st.size;
      allocated += st.blocks * 512;
    } catch {
      // delivered and removed between readdir and stat
    }
  }
  return { events: names.filter((n) => !n.startsWith('.') && !n.endsWith('.sending')).length, bytes, allocated };
}

/** One value as a summary (the table prints summaries). */
const single = (x, extra = {}) => ({ ...latencySummary([x]), ...extra });

/** Mail lines every control file of this scenario has: the server, one recipient, no instance mails. */
const mailLines = (port) => [`set mailserver 127.0.0.1 port ${port} with timeout 5 seconds`, 'set alert bench@localhost but not on { instance }', ''];

/** Phase 1: `if changed checksum then alert` on one file among 100 stat-only ones, the server up. */
async function mailTrials(ctx, kind, dir) {
  const smtp = await startSink(await ctx.freePort());
  const { body } = fileStat.setup(dir, 100);
  const watched = join(dir, 'watched');
  writeFileSync(watched, 'x'.repeat(4096));
  body.unshift(...mailLines(smtp.port));
  body.push('check file watched with path ' + watched, '  if changed checksum then alert', '');
  const control = writeControl(dir, { interval: ctx.interval, httpPort: await ctx.freePort(), sentinels: ctx.sentinels, body });
  const accepted = [];
  const dispatch = [];
  const dialogue = [];
  let daemon;
  let watcher;
  try {
    daemon = await startAndSettle(kind, control, ctx);
    // The log line is timed by inotify, as the TCP accept is by epoll: the poll alone (1–2 ms
    // steps) read Monit's line after its connect. The poll still scans, in case an event is lost.
    const follow = logFollower(join(control.run, 'daemon.log'));
    let logAt;
    const scan = () => {
      if (/'watched' checksum changed/.test(follow()) && logAt === undefined) logAt = performance.now();
    };
    watcher = watch(join(control.run, 'daemon.log'), scan);
    const changed = () => smtp.matching(/Checksum changed watched/);
    for (let t = 0; t < ctx.trials; t++) {
      await cyclePhase(ctx, t);
      follow();
      logAt = undefined;
      const before = changed().length;
      const connects = smtp.connects.length;
      appendFileSync(watched, `${t}`);
      const t0 = performance.now();
      await pollUntil(() => {
        scan();
        return logAt !== undefined && changed().length > before;
      }, 10_000);
      const mail = changed()[before];
      const connectAt = smtp.connects[connects];
      accepted.push(mail && mail.at - t0);
      dispatch.push(logAt !== undefined && connectAt !== undefined ? connectAt - logAt : undefined);
      dialogue.push(mail && connectAt !== undefined ? mail.at - connectAt : undefined);
      await sleep(ctx.interval * 1000 + 300); // let a "not changed" cycle pass
    }
  } finally {
    watcher?.close();
    await daemon?.stop();
    await smtp.close();
  }
  return {
    'change → mail accepted': latencySummary(accepted),
    'log line → SMTP connect': latencySummary(dispatch),
    'SMTP connect → mail accepted': latencySummary(dialogue),
  };
}

/**
 * Phase 2, `set eventqueue`, the server down: QUEUED checksum changes at once (bytes per queued
 * event), the server up (its listen → the first queued mail), then down again and BURST files
 * removed at once, the server up (delivery rate, first connection → last mail).
 */
async function queueTrials(ctx, kind, dir) {
  const port = await ctx.freePort();
  const events = join(dir, 'events');
  rmSync(events, { recursive: true, force: true });
  const body = [...mailLines(port), `set eventqueue basedir ${events} slots ${QUEUED + BURST + 100}`, ''];
  const changed = [];
  const gone = [];
  mkdirSync(join(dir, 'files'), { recursive: true });
  for (let i = 0; i < QUEUED; i++) {
    changed.push(join(dir, 'files', `q${i}`));
    writeFileSync(changed[i], 'x'.repeat(4096));
    body.push(`check file q${i} with path ${changed[i]}`, '  if changed checksum then alert', '');
  }
  for (let i = 0; i < BURST; i++) {
    gone.push(join(dir, 'files', `b${i}`));
    writeFileSync(gone[i], 'x');
    body.push(`check file b${i} with path ${gone[i]}`, '  if does not exist then alert', '');
  }
  const control = writeControl(dir, { interval: ctx.interval, httpPort: await ctx.freePort(), sentinels: ctx.sentinels, body });
  const result = {};
  let daemon;
  let smtp;
  try {
    daemon = await startAndSettle(kind, control, ctx);
    for (const f of changed) appendFileSync(f, 'y');
    const queued = await pollUntil(() => queueFiles(events).events >= QUEUED, 10_000, 5);
    if (queued === undefined) throw new Error(`${kind}: ${queueFiles(events).events} of ${QUEUED} events queued in 10 s (${events})`);
    await sleep(200); // Monit writes its file in place: let the last one be complete
    const size = queueFiles(events);
    result['bytes per queued event (B)'] = single(size.bytes / QUEUED, { allocatedBytes: size.allocated / QUEUED });

    smtp = await startSink(port);
    const first = await pollUntil(() => smtp.matching(/Checksum changed/).length >= QUEUED, 10_000);
    const mails = smtp.matching(/Checksum changed/);
    result['server back → 1st queued mail'] = single(mails[0] && mails[0].at - smtp.listenAt, { all: first && first - smtp.listenAt });
    await pollUntil(() => queueFiles(events).events === 0, 5000, 5);
    await smtp.close();
    smtp = undefined;

    for (const f of gone) rmSync(f);
    const burst = await pollUntil(() => queueFiles(events).events >= BURST, 20_000, 5);
    const held = queueFiles(events).events;
    if (burst === undefined) ctx.progress(`react-mail ${kind}: only ${held} of ${BURST} events queued in 20 s`);
    const cpu0 = cpuOf(daemon.child.pid);
    smtp = await startSink(port);
    const done = await pollUntil(() => smtp.matching(/Does not exist/).length >= held, 60_000, 5);
    const delivered = smtp.matching(/Does not exist/);
    const cpu1 = cpuOf(daemon.child.pid);
    const spanMs = delivered.length ? delivered[delivered.length - 1].at - smtp.connects[0] : undefined;
    result['queue throughput (events/s)'] = single(spanMs ? (delivered.length / spanMs) * 1000 : undefined, {
      events: delivered.length,
      queued: held,
      spanMs,
      complete: done !== undefined,
      // the daemon's CPU from the server's start to the last mail (its cycles included) per mail
      cpuMsPerEvent: cpu0 && cpu1 && delivered.length ? (cpu1.ns - cpu0.ns) / 1e6 / delivered.length : undefined,
    });
  } finally {
    await daemon?.stop();
    await smtp?.close();
  }
  return result;
}

/** Both phases for one daemon: two starts, since `set eventqueue` changes how warden dispatches (it stores first). */
export const reactMail = {
  name: 'react-mail',
  title: 'file changed → alert mail accepted (SMTP server in the bench); event queue while the server is down',
  kind: 'reaction',
  requires: ['service-type:file', 'test:checksum.checksum', 'test:file.exist', 'notifier:mail', 'setting:mailserver', 'setting:eventqueue'],
  async run(ctx, kind, dir) {
    const mail = join(dir, 'mail');
    const queue = join(dir, 'queue');
    mkdirSync(mail, { recursive: true });
    mkdirSync(queue, { recursive: true });
    return { ...(await mailTrials(ctx, kind, mail)), ...(await queueTrials(ctx, kind, queue)) };
  },
};
