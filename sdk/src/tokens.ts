/**
 * The words of a control file as the lexer hands them to the parser and to plugins.
 *
 * - `word`: an unquoted run (`port`, `/var/run/x.pid`, `127.0.0.1`, `http://h/p`).
 * - `string`: a quoted string; `text` holds the unquoted, unescaped value.
 * - `number`: an integer or real (`80`, `1.5`); `value` holds it.
 * - `op`: a comparison operator spelled with symbols (`>`, `>=`, `<`, `<=`, `=`, `==`, `!=`, `=~`).
 * - `punct`: one of `{ } : @ ( )`.
 * - `eof`: the end of the input; `text` is empty.
 */
export type TokenKind = 'word' | 'string' | 'number' | 'op' | 'punct' | 'eof';

/** One token with the place it came from, for error messages. */
export interface Token {
  readonly kind: TokenKind;
  /** The token's text; for strings the unquoted value. */
  readonly text: string;
  /** The source spelling, quotes included (what Monit prints in `syntax error '…'`). */
  readonly raw: string;
  /** Numeric value of a `number` token. */
  readonly value?: number;
  readonly file: string;
  /** 1-based line of the token's first character. */
  readonly line: number;
  /** 1-based column of the token's first character. */
  readonly col: number;
  /** Offsets of the token's raw text in its file's source (`end` exclusive). */
  readonly offset: number;
  readonly end: number;
  /** True when whitespace (or a separator) came before this token. */
  readonly spaceBefore: boolean;
  /** A Monit noise word (`with`, `is`, `and`, …) or a separator parenthesis; skipped by default. */
  readonly noise: boolean;
}

/** Where a thing was written: kept on every model node so errors can point at it. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
}

/**
 * A control-file error. `toString()` is `FILE:LINE: message`, the form Monit prints.
 * Core recognises it by `name` (not `instanceof`) so a plugin built against another
 * copy of the sdk still reports cleanly.
 */
export class ParseError extends Error {
  override readonly name = 'WardenParseError';
  readonly file: string;
  readonly line: number;

  constructor(pos: SourcePos, message: string) {
    super(message);
    this.file = pos.file;
    this.line = pos.line;
  }

  override toString(): string {
    return `${this.file}:${this.line}: ${this.message}`;
  }
}

/** True for a {@link ParseError} from any copy of the sdk. */
export function isParseError(err: unknown): err is ParseError {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'WardenParseError' &&
    typeof (err as { line?: unknown }).line === 'number'
  );
}

/** Comparison operators after normalisation of every Monit spelling. */
export type Operator = '>' | '>=' | '<' | '<=' | '=' | '!=';

/** A threshold as written: the operator, the value in base units, and how it was spelled. */
export interface Comparison {
  readonly op: Operator;
  /** The value in base units: bytes, milliseconds, percent, or a plain number. */
  readonly value: number;
  /** `percent` when written with `%`; `bytes`, `ms` or `none` otherwise. */
  readonly unit: 'percent' | 'bytes' | 'ms' | 'none';
  /** The threshold as the user wrote it, for messages (`80%`, `200 MB`). */
  readonly text: string;
}

/**
 * The cursor a plugin uses to parse its own words of a rule or service header.
 *
 * Word matching is case-insensitive. Noise tokens are skipped unless a method says
 * otherwise. Every failing method throws a {@link ParseError} that names the file, the
 * line, the offending token and what was expected:
 * `FILE:LINE: syntax error 'TOKEN', expected a number`.
 */
export interface TokenStream {
  /** The token `n` places ahead (noise skipped), without consuming it. */
  peek(n?: number): Token;
  /** Consume and return the next token (noise skipped). */
  next(): Token;
  /** True when the next token is one of `words` (case-insensitive). */
  at(...words: string[]): boolean;
  /** Consume the next token when it is one of `words`. */
  accept(...words: string[]): Token | undefined;
  /** Consume the next token, which must be one of `words`. */
  expect(...words: string[]): Token;
  /** Consume a comparison operator in any Monit spelling; absent means `=`. */
  operator(): Operator;
  /** Consume a non-negative integer or real number. */
  number(what?: string): number;
  /** Consume a non-negative integer. */
  integer(what?: string): number;
  /** Consume a size (`100`, `100 MB`, `1.5 kb`); returns bytes. Omitted unit means bytes. */
  size(): number;
  /** Consume a duration (`5`, `5 s`, `200 ms`, `2 hours`); returns milliseconds. */
  duration(defaultUnit?: 's' | 'ms'): number;
  /**
   * Consume `OP N [unit]` where the unit may be a percent, a size or a duration.
   * `allowed` lists the kinds of value the test accepts.
   */
  comparison(allowed: ReadonlyArray<Comparison['unit']>): Comparison;
  /** Consume a quoted string or a bare word, returning its text. */
  string(what?: string): string;
  /** Consume an absolute path (quoted or not). A relative path is a syntax error, as in Monit. */
  path(): string;
  /** True at the end of the input. */
  atEnd(): boolean;
  /** Where the next token is, for model nodes. */
  pos(): SourcePos;
  /** Save the cursor; pass the value to {@link reset} to backtrack. */
  mark(): number;
  reset(mark: number): void;
  /** Throw `syntax error 'TOKEN'` (with `expected` appended when given) at `tok` or the next token. */
  syntaxError(expected?: string, tok?: Token): never;
  /** Throw `message 'TOKEN'` (Monit's form for semantic errors) at `tok` or the next token. */
  error(message: string, tok?: Token): never;
}
