import { defineTest, fail, ok, skipped, type ProbeResult } from '@warden/sdk';
import { firstLine } from './exit-value.js';
import type { ProgramTarget } from './runner.js';

/** `content =|!= "REGEX"`. */
export interface ContentOptions {
  readonly negate: boolean;
  readonly pattern: string;
}

/**
 * `if content = "REGEX"` / `if content != "REGEX"` (Monit C46) on the output of the last
 * finished run: stderr then stdout, at most 512 bytes of each (the spawner's bound, Monit's
 * programOutput). `=` fails when the output matches, `!=` when it does not. The pattern is a
 * JavaScript regular expression, compiled when the control file is read; `content changed`
 * is a syntax error as in Monit (P03).
 */
export const contentTest = defineTest<ContentOptions, ProgramTarget>({
  name: 'program.content',
  summary: 'The program output matches (or does not match) a regular expression',
  serviceTypes: ['program'],
  keywords: ['content'],
  polarities: ['none'],
  event: 'content',
  codes: {
    'program.content': 'the output matched a `content =` pattern, or did not match a `content !=` one',
    'program.spawn': 'the program could not be started (missing, not executable, bad uid/gid)',
  },
  parse(ts) {
    ts.expect('content');
    const opTok = ts.peek();
    const op = ts.operator();
    if (op !== '=' && op !== '!=') ts.syntaxError("'=' or '!='", opTok);
    const tok = ts.peek();
    if (tok.kind !== 'string') ts.syntaxError('a quoted regular expression', tok);
    const pattern = ts.string();
    try {
      new RegExp(pattern);
    } catch (err) {
      ts.error(`regex parsing error: ${(err as Error).message}`, tok);
    }
    return {
      options: { negate: op === '!=', pattern },
      condition: { kind: 'state' },
      describe: `content ${op} "${pattern}"`,
    };
  },
  run(ctx): ProbeResult {
    const { result } = ctx.target;
    if (!result) return skipped('program not yet finished');
    if (result.spawnError !== undefined) {
      return { status: 'error', code: 'program.spawn', message: `failed to execute -- ${result.spawnError}` };
    }
    const output = result.output;
    const match = new RegExp(ctx.options.pattern).exec(output);
    const line = match ? lineAround(output, match.index) : firstLine(output);
    const observations = { output: output.trim() };
    if (ctx.options.negate) {
      return match ? ok(`content match: ${line}`, { observations }) : fail('program.content', `content doesn't match: ${line}`, { observations });
    }
    return match ? fail('program.content', `content match: ${line}`, { observations }) : ok(`content doesn't match: ${line}`, { observations });
  },
});

/** The whole line of `text` holding offset `at`, for messages. */
function lineAround(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(start, end < 0 ? undefined : end).trim() || 'no output';
}
