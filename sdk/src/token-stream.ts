import {
  isParseError,
  ParseError,
  type Comparison,
  type Operator,
  type SourcePos,
  type Token,
  type TokenStream,
} from './tokens.js';
import { isPercent, operatorFor, sizeUnit, timeUnit } from './units.js';

/**
 * A {@link TokenStream} over an array of tokens that ends with an `eof` token.
 * Core's parser and `@warden/sdk/testing` both use it, so plugins see one behaviour.
 */
export class ArrayTokenStream implements TokenStream {
  private index = 0;
  /**
   * For each index, the index of the first significant (not noise) token at or after it,
   * the final eof included: the parser peeks several times per token, so noise is skipped
   * once here rather than on every peek.
   */
  private readonly significant: number[];

  constructor(private readonly tokens: readonly Token[]) {
    if (tokens.length === 0 || tokens[tokens.length - 1]!.kind !== 'eof') {
      throw new Error('token array must end with an eof token');
    }
    // A plain array: most streams are a few tokens long (a rule), where typed arrays cost more.
    this.significant = new Array<number>(tokens.length);
    let next = tokens.length - 1;
    for (let i = next; i >= 0; i--) {
      if (!tokens[i]!.noise) next = i;
      this.significant[i] = next;
    }
  }

  /** Index of the n-th significant token at or after `from`. */
  private seek(n: number, from = this.index): number {
    let i = this.significant[from]!;
    for (let seen = 0; seen < n && this.tokens[i]!.kind !== 'eof'; seen++) i = this.significant[i + 1]!;
    return i;
  }

  peek(n = 0): Token {
    return this.tokens[this.seek(n)]!;
  }

  next(): Token {
    const i = this.seek(0);
    const tok = this.tokens[i]!;
    if (tok.kind !== 'eof') this.index = i + 1;
    return tok;
  }

  /** The next token including noise, without consuming it. */
  peekRaw(): Token {
    return this.tokens[Math.min(this.index, this.tokens.length - 1)]!;
  }

  /** Consume the next token including noise. */
  nextRaw(): Token {
    const tok = this.peekRaw();
    if (tok.kind !== 'eof') this.index++;
    return tok;
  }

  // `at`, `accept` and `expect` pass their word lists on as arrays: spreading them again
  // would copy the list on every call, several times per token of a large file.
  at(...words: string[]): boolean {
    return matches(this.peek(), words);
  }

  accept(...words: string[]): Token | undefined {
    return this.acceptAny(words);
  }

  expect(...words: string[]): Token {
    const tok = this.acceptAny(words);
    if (!tok) this.syntaxError(words.map((w) => `'${w}'`).join(' or '));
    return tok;
  }

  private acceptAny(words: readonly string[]): Token | undefined {
    return matches(this.peek(), words) ? this.next() : undefined;
  }

  operator(): Operator {
    const tok = this.peek();
    if (tok.kind === 'op' || tok.kind === 'word') {
      const op = operatorFor(tok.text);
      if (op) {
        this.next();
        return op;
      }
    }
    return '=';
  }

  number(what = 'a number'): number {
    const tok = this.peek();
    if (tok.kind !== 'number' || tok.value === undefined) this.syntaxError(what);
    this.next();
    return tok.value;
  }

  integer(what = 'an integer'): number {
    const tok = this.peek();
    if (tok.kind !== 'number' || tok.value === undefined || !Number.isInteger(tok.value)) {
      this.syntaxError(what);
    }
    this.next();
    return tok.value;
  }

  size(): number {
    const n = this.number('a size');
    const unit = this.peek();
    const factor = unit.kind === 'word' ? sizeUnit(unit.text) : undefined;
    if (factor === undefined) return n;
    this.next();
    return Math.round(n * factor);
  }

  duration(defaultUnit: 's' | 'ms' = 's'): number {
    const n = this.number('a duration');
    const unit = this.peek();
    const factor = unit.kind === 'word' ? timeUnit(unit.text) : undefined;
    if (factor === undefined) return n * (defaultUnit === 's' ? 1000 : 1);
    this.next();
    return n * factor;
  }

  comparison(allowed: ReadonlyArray<Comparison['unit']>): Comparison {
    const op = this.operator();
    const numTok = this.peek();
    const n = this.number('a number');
    const unitTok = this.peek();
    const unitText = unitTok.kind === 'word' || unitTok.kind === 'punct' ? unitTok.text : '';
    const text = (suffix: string) => `${numTok.raw}${suffix}`;
    if (unitText && isPercent(unitText) && allowed.includes('percent')) {
      this.next();
      return { op, value: n, unit: 'percent', text: text('%') };
    }
    const bytes = unitTok.kind === 'word' ? sizeUnit(unitText) : undefined;
    if (bytes !== undefined && allowed.includes('bytes')) {
      this.next();
      return { op, value: Math.round(n * bytes), unit: 'bytes', text: text(` ${unitTok.text}`) };
    }
    const ms = unitTok.kind === 'word' ? timeUnit(unitText) : undefined;
    if (ms !== undefined && allowed.includes('ms')) {
      this.next();
      return { op, value: n * ms, unit: 'ms', text: text(` ${unitTok.text}`) };
    }
    if (allowed.includes('none')) return { op, value: n, unit: 'none', text: text('') };
    if (allowed.includes('bytes')) return { op, value: n, unit: 'bytes', text: text(' B') };
    if (allowed.includes('ms')) return { op, value: n * 1000, unit: 'ms', text: text(' s') };
    return this.syntaxError(`a unit (${allowed.join(', ')})`, unitTok);
  }

  string(what = 'a string'): string {
    const tok = this.peek();
    if (tok.kind !== 'string' && tok.kind !== 'word' && tok.kind !== 'number') this.syntaxError(what);
    this.next();
    return tok.text;
  }

  path(): string {
    const tok = this.peek();
    if ((tok.kind !== 'string' && tok.kind !== 'word') || !tok.text.startsWith('/')) {
      this.syntaxError('an absolute path');
    }
    this.next();
    return tok.text;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  pos(): SourcePos {
    const tok = this.peek();
    return { file: tok.file, line: tok.line };
  }

  mark(): number {
    return this.index;
  }

  reset(mark: number): void {
    this.index = mark;
  }

  syntaxError(expected?: string, tok: Token = this.peek()): never {
    const got = tok.kind === 'eof' ? '' : tok.raw;
    const tail = expected ? `, expected ${expected}` : '';
    throw new ParseError(tok, `syntax error '${got}'${tail}`);
  }

  error(message: string, tok: Token = this.peek()): never {
    throw new SemanticError(tok, `${message} '${tok.kind === 'eof' ? '' : tok.raw}'`);
  }
}

/**
 * A {@link ParseError} for a well-formed statement with a wrong value (Monit's `yyerror2`):
 * Monit reports it and reads on, so the parser may record it and go on to the next
 * statement. Thrown by {@link ArrayTokenStream.error}.
 */
export class SemanticError extends ParseError {
  readonly semantic = true;
}

/** True for a {@link SemanticError} from any copy of the sdk. */
export function isSemanticError(err: unknown): err is ParseError {
  return isParseError(err) && (err as { semantic?: unknown }).semantic === true;
}

/** True when `tok` is a word (or string spelled as a word) equal to one of `words`. */
export function matches(tok: Token, words: readonly string[]): boolean {
  if (tok.kind !== 'word' && tok.kind !== 'op' && tok.kind !== 'punct') return false;
  const t = tok.text;
  for (const w of words) {
    // The words are ASCII keywords, and no character lowercases to a different number of
    // ASCII characters: a length that differs rules a word out without lowercasing.
    if (w.length === t.length && (w === t || w.toLowerCase() === t.toLowerCase())) return true;
  }
  return false;
}
