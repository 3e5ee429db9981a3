/**
 * Semantic errors found after the whole control file was read (unknown or looping
 * `depends`). Monit prints each on its own line without `file:line`; so does `message`.
 */
export class ControlFileError extends Error {
  override readonly name = 'WardenControlFileError';
  readonly errors: readonly string[];

  constructor(errors: readonly string[]) {
    super(errors.join('\n'));
    this.errors = errors;
  }

  /** The errors, one a line, as Monit prints them. */
  override toString(): string {
    return this.message;
  }
}
