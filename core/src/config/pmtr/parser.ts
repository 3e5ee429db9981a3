import { ParseError } from '@warden/sdk';
import type { Diagnostic } from '../model.js';
import { lexPmtr, type PmtrToken } from './lexer.js';
import {
  parseBounce, parseCpu, parseEnv, parseNice, parseOrder, parseUdp, parseUlimit, PmtrValueError, type PmtrJob,
} from './values.js';

/** A job as parsed, with the line it starts on. */
export interface ParsedJob {
  readonly job: PmtrJob;
  readonly line: number;
}

/** A `udp://` address with its line. */
export interface ParsedUdp {
  readonly host: string;
  readonly port: number;
  readonly iface?: string;
  readonly line: number;
}

/** pmtr.conf parsed: jobs in file order, the UDP globals, and what pmtr accepts silently. */
export interface PmtrFile {
  readonly jobs: ParsedJob[];
  readonly reports: ParsedUdp[];
  readonly listens: ParsedUdp[];
  readonly warnings: Diagnostic[];
}

const UDP_FORMAT = 'required format: udp://1.2.3.4:5678[@eth2]';
const ONE_WORD = new Set(['name', 'dir', 'out', 'err', 'in', 'env', 'user', 'order', 'nice', 'cpu']);

/**
 * Parse pmtr.conf (pmtr's `cfg.y`): `job { … }`, `report to URL`, `listen on URL`, in any
 * order. Errors are `ParseError`s (`FILE:LINE: parse failed: …`) in pmtr's words; what pmtr
 * takes silently but is almost surely wrong (a misspelled option swallowed into `cmd`'s
 * argv, a second `cmd`, no `cmd`, a name used twice) comes back as warnings.
 */
export function parsePmtr(text: string, file: string): PmtrFile {
  const toks = lexPmtr(text, file);
  let i = 0;
  const peek = () => toks[i]!;
  const next = () => toks[i++]!;
  const fail = (tok: PmtrToken, message?: string): never => {
    throw new ParseError({ file, line: tok.line }, `parse failed: ${message ?? (tok.kind === 'eof' ? 'syntax error at end of file' : `syntax error near '${tok.text}'`)}`);
  };
  const keyword = (word: string) => {
    const t = next();
    if (t.kind !== 'keyword' || t.text !== word) fail(t);
  };
  const word = () => {
    const t = next();
    if (t.kind !== 'word') fail(t);
    return t;
  };
  const value = <T>(tok: PmtrToken, parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      if (err instanceof PmtrValueError) fail(tok, err.message);
      throw err;
    }
  };
  const out: PmtrFile = { jobs: [], reports: [], listens: [], warnings: [] };
  const warn = (line: number, message: string) => out.warnings.push({ file, line, message });

  const parseJob = (jobTok: PmtrToken): void => {
    keyword('{');
    const job: PmtrJob = { name: '', argv: [], env: [], ulimits: [], depends: [], disabled: false, wait: false, once: false, order: 0 };
    const seen = new Map<string, number>();
    let options = 0;
    for (;;) {
      const t = next();
      if (t.kind === 'keyword' && t.text === '}') break;
      if (t.kind !== 'keyword' || ['job', 'report', 'listen', '{', 'on', 'to', 'every'].includes(t.text)) fail(t);
      options++;
      const opt = t.text;
      if (ONE_WORD.has(opt)) {
        const w = word();
        if (['name', 'dir', 'out', 'err', 'in'].includes(opt) && seen.has(opt)) fail(t, `${opt} respecified`);
        seen.set(opt, t.line);
        switch (opt) {
          case 'name': job.name = w.text; break;
          case 'dir': job.dir = w.text; break;
          case 'out': if (w.text !== 'syslog') job.out = w.text; break;
          case 'err': if (w.text !== 'syslog') job.err = w.text; break;
          case 'in': job.in = w.text; break;
          case 'env': job.env.push(value(w, () => parseEnv(w.text))); break;
          case 'user':
            if (w.text.length > 99) fail(w, 'user name too long');
            job.user = w.text;
            break;
          case 'order': job.order = value(w, () => parseOrder(w.text)); break;
          case 'nice': job.nice = value(w, () => parseNice(w.text)); break;
          case 'cpu': job.cpu = value(w, () => parseCpu(w.text)); break;
        }
        continue;
      }
      switch (opt) {
        case 'cmd': {
          const path = word();
          const args: string[] = [];
          while (peek().kind === 'word' || peek().kind === 'string') {
            const a = next();
            if (a.lineStart) {
              warn(a.line, `'${a.text}' is taken as an argument of cmd (line ${t.line}), as pmtr does: a misspelled option?`);
            }
            args.push(a.text);
          }
          if (seen.has('cmd')) {
            warn(t.line, `cmd respecified (first on line ${seen.get('cmd')}): pmtr runs [${path.text}, <first cmd and its arguments>, <these arguments>]`);
            job.argv = [path.text, ...job.argv, ...args];
          } else {
            job.argv = [path.text, ...args];
          }
          seen.set('cmd', t.line);
          break;
        }
        case 'disable': job.disabled = true; break;
        case 'wait': job.wait = true; break;
        case 'once': job.once = true; break;
        case 'bounce': {
          keyword('every');
          const w = word();
          job.bounceMs = value(w, () => parseBounce(w.text));
          break;
        }
        case 'depends': {
          keyword('{');
          const first = word();
          job.depends.push(first.text);
          while (peek().kind === 'word') job.depends.push(next().text);
          keyword('}');
          break;
        }
        case 'ulimit': {
          if (peek().kind === 'keyword' && peek().text === '{') {
            next();
            while (peek().kind === 'word') {
              const flag = next();
              const v = word();
              job.ulimits.push(value(flag, () => parseUlimit(flag.text, v.text)));
            }
            keyword('}');
          } else {
            const flag = word();
            const v = word();
            job.ulimits.push(value(flag, () => parseUlimit(flag.text, v.text)));
          }
          break;
        }
        default:
          fail(t);
      }
    }
    if (options === 0) fail(toks[i - 1]!);
    if (!job.name) fail(jobTok, 'job has no name');
    if (!seen.has('cmd')) warn(jobTok.line, `job ${job.name} has no cmd: pmtr starts it and fails every 10 s (can't exec (null))`);
    const dup = out.jobs.find((j) => j.job.name === job.name);
    if (dup) warn(jobTok.line, `job name ${job.name} is used twice (also line ${dup.line}): both run, UDP control acts on both`);
    out.jobs.push({ job, line: jobTok.line });
  };

  const parseUdpStatement = (list: ParsedUdp[], word2: string): void => {
    keyword(word2);
    const w = next();
    // pmtr names the line after the address.
    const ep = w.kind === 'word' ? parseUdp(w.text) : undefined;
    if (!ep) return fail(w, UDP_FORMAT);
    list.push({ ...ep, line: w.line });
  };

  for (;;) {
    const t = next();
    if (t.kind === 'eof') break;
    if (t.kind !== 'keyword') fail(t);
    if (t.text === 'job') parseJob(t);
    else if (t.text === 'report') parseUdpStatement(out.reports, 'to');
    else if (t.text === 'listen') parseUdpStatement(out.listens, 'on');
    else fail(t);
  }
  if (out.listens.length > 1) {
    warn(out.listens[1]!.line, `only the first listen on (line ${out.listens[0]!.line}) is used, as in pmtr`);
  }
  return out;
}
