import { readFileSync } from 'node:fs';
import { dataError, defineTest, ok, type ProbeResult, type Token, type TokenStream } from '@warden/sdk';
import { readNewLines, type ContentCursor } from './content-reader.js';
import { isStat, presentStat, type PathTarget } from './path-target.js';

/** `if content =|!= "REGEX"|/path/to/list`: the patterns and whether a match or a miss counts. */
export interface ContentOptions {
  /** Regular expression sources: one, or one per line of a pattern file (C29). */
  readonly patterns: readonly string[];
  /** `!=`: a line that does not match counts. */
  readonly negate: boolean;
}

/** Monit's cap on the lines quoted in one event (its `fileContentBuffer`). */
const MAX_REPORT = 511;

function compile(source: string, ts: TokenStream, tok: Token): RegExp {
  try {
    return new RegExp(source);
  } catch {
    return ts.error('Regex parsing error: Invalid regular expression', tok);
  }
}

/** A pattern file: one expression per non-empty line; `#` lines are comments. */
function readPatternFile(ts: TokenStream, tok: Token): string[] {
  let text: string;
  try {
    text = readFileSync(tok.text, 'utf8');
  } catch (err) {
    return ts.error(`Cannot read the regex file -- ${(err as Error).message}`, tok);
  }
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '' && !l.startsWith('#'));
}

function parseContent(ts: TokenStream): ContentOptions {
  const keyword = ts.expect('content', 'match');
  let negate = false;
  if (keyword.text.toLowerCase() === 'content') {
    const opTok = ts.peek();
    const op = ts.operator();
    if (op !== '=' && op !== '!=') ts.syntaxError("'=' or '!='", opTok);
    negate = op === '!=';
  }
  const tok = ts.peek();
  let patterns: string[];
  if (tok.kind === 'string') patterns = [tok.text];
  else if (tok.kind === 'word' && tok.text.startsWith('/')) patterns = readPatternFile(ts, tok);
  else return ts.syntaxError('a quoted regular expression or a pattern file');
  for (const p of patterns) compile(p, ts, tok);
  ts.next();
  return { patterns, negate };
}

/** One line of the event: the matched lines, joined, cut at Monit's 511 bytes. */
function report(lines: readonly string[]): string {
  const text = lines.join(' | ');
  return text.length > MAX_REPORT ? `${text.slice(0, MAX_REPORT)}...` : text;
}

/**
 * `if content =|!= "REGEX"` (Monit C28), `if content =|!= /path/list` (C29) and the older
 * `if match "REGEX"` (C31) on a file: each cycle only the complete lines appended since the
 * last one are read (see `readNewLines`). A cycle with matching lines is a `Content match`
 * change event (Monit posts it as changed, so every such cycle alerts and a quiet cycle
 * sends nothing); `value` counts those cycles so the engine sees each one as a change.
 */
export const contentTest = defineTest<ContentOptions, PathTarget>({
  name: 'file.content',
  summary: 'Lines appended to the file that match (or do not match) a regular expression',
  serviceTypes: ['file'],
  keywords: ['content', 'match'],
  polarities: ['none'],
  event: 'content',
  codes: {
    'file.unreadable': 'the file cannot be opened or read (no permission: a Data access error; otherwise an error logged without an event)',
  },
  options: {
    patterns: { type: 'string', description: 'The regular expression (JavaScript syntax, close to POSIX ERE), or an absolute path to a file of expressions, one per line.' },
    negate: { type: 'boolean', description: '`content !=`: lines that do not match count.', default: false },
  },
  parse(ts) {
    const options = parseContent(ts);
    const what = options.patterns.length === 1 ? JSON.stringify(options.patterns[0]) : `${options.patterns.length} patterns`;
    return { options, condition: { kind: 'changed' }, describe: `content ${options.negate ? '!=' : '='} ${what}` };
  },
  async run(ctx): Promise<ProbeResult> {
    const stat = presentStat(ctx.target, ctx.service.type);
    if (!isStat(stat)) return stat;
    // ctx.state holds plain data only (it is meant to be persisted), so compile per cycle.
    const state = ctx.state as { cursor?: ContentCursor; matched?: number };
    const known = state.cursor;
    if (known && known.ino === stat.ino && known.offset === stat.size && !ctx.target.path.startsWith('/proc/')) {
      // Nothing appended since the last cycle (the service's stat says so): no need to open the file.
      return ok("content doesn't match", { value: state.matched ?? 0, observations: { contentOffset: known.offset } });
    }
    const regexes = ctx.options.patterns.map((p) => new RegExp(p));
    const { negate } = ctx.options;
    const hits: string[] = [];
    let hitBytes = 0;
    const onLine = (line: string) => {
      if (!regexes.some((re) => re.test(line) !== negate)) return;
      if (hitBytes <= MAX_REPORT) hits.push(line);
      hitBytes += line.length + 3;
    };
    let outcome;
    try {
      outcome = await readNewLines(ctx.target.path, state.cursor, onLine, ctx.signal);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const message = `cannot read file ${ctx.target.path}: ${(err as Error).message}`;
      // Monit raises a Data access error when it cannot open the file (permissions).
      if ((err as NodeJS.ErrnoException).code === 'EACCES') return dataError('file.unreadable', message);
      return { status: 'error', code: 'file.unreadable', message };
    }
    state.cursor = outcome.cursor;
    if (outcome.note === 'start') ctx.log.debug('seeking to the end of the file');
    if (outcome.note === 'rewind') ctx.log.debug('file was rotated or truncated, reading it from the start');
    if (outcome.note === 'limit') ctx.log.debug(`content read ${outcome.bytes} bytes, the rest waits for the next cycle`);
    const observations = { contentOffset: outcome.cursor.offset };
    if (hits.length > 0) {
      state.matched = (state.matched ?? 0) + 1;
      return ok(`content match: ${report(hits)}`, { value: state.matched, observations });
    }
    return ok("content doesn't match", { value: state.matched ?? 0, observations });
  },
});
