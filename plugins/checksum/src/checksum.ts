import { dataError, defineTest, fail, ok, skipped, SMALL_FILE_BYTES, type CycleContext, type DigestAlgorithm, type ParseContext, type ProbeResult, type TokenStream } from '@warden/sdk';
import { HEX_LENGTH, hashFile } from './hash-file.js';

/** The rule's words: the algorithm, the expected digest (`failed … expect`), paranoia. */
export interface ChecksumOptions {
  /** `changed`: report each new digest; `failed`: compare with a reference. */
  readonly test: 'changed' | 'failed';
  readonly algorithm: DigestAlgorithm;
  /** Lower-case hex; absent: the first digest computed is the reference. */
  readonly expect?: string;
  /** Hash every cycle instead of only when size, mtime, ctime or inode moved. */
  readonly paranoid: boolean;
}

/**
 * The part of the `file` service type's target this test reads (plugin `file`'s
 * `PathTarget`); declared here by shape because plugins never import each other.
 */
export interface FileTarget {
  readonly path: string;
  readonly stat: {
    readonly size: number;
    readonly mtimeMs: number;
    readonly ctimeMs: number;
    readonly ino: number;
    readonly kind: string;
  } | null;
}

/** The stat a digest was computed at: its size, mtime, ctime and inode gate the next hash. */
type Stamp = NonNullable<FileTarget['stat']>;

/** Kept in `ctx.state` between cycles: plain data, ready for core to persist (see README). */
interface ChecksumState {
  hash?: string;
  /** The stat when `hash` was computed. */
  stamp?: Stamp;
  /** The reference of a `failed` rule without `expect`. */
  baseline?: string;
  /** The digest the last `changed` message was about. */
  reported?: string;
  /**
   * The verdict on a digest that stays (`changed`: not changed; `failed`: either), with its
   * debug line: hashing every cycle (`paranoid`), the same digest again makes no new objects.
   */
  steady?: { readonly hash: string; readonly result: ProbeResult; readonly line: string };
}

const ALGORITHMS: readonly DigestAlgorithm[] = ['md5', 'sha1', 'sha256'];
/** As status pages show them. */
const ALGORITHM_NAMES: Readonly<Record<DigestAlgorithm, string>> = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' };

/** The digest after `expect [the sum]`: adjacent tokens rejoined (the lexer splits `123b` as a size). */
function readDigest(ts: TokenStream): { text: string; raw: string } {
  const first = ts.peek();
  if (first.kind !== 'word' && first.kind !== 'number' && first.kind !== 'string') ts.syntaxError('a checksum');
  ts.next();
  let text = first.kind === 'string' ? first.text : first.raw;
  if (first.kind !== 'string') {
    for (let t = ts.peek(); (t.kind === 'word' || t.kind === 'number') && !t.spaceBefore; t = ts.peek()) {
      text += t.raw;
      ts.next();
    }
  }
  return { text, raw: first.raw };
}

function parseChecksum(ts: TokenStream, ctx: ParseContext): ChecksumOptions {
  const first = ts.expect('checksum', ...ALGORITHMS);
  let algorithm: DigestAlgorithm | undefined;
  if (first.text.toLowerCase() !== 'checksum') {
    algorithm = first.text.toLowerCase() as DigestAlgorithm;
    ts.expect('checksum');
  }
  let paranoid = ts.accept('paranoid') !== undefined;
  let expect: string | undefined;
  if (ctx.polarity === 'failed' && ts.at('expect')) {
    ts.next();
    const tok = ts.peek();
    const digest = readDigest(ts);
    const hex = digest.text.toLowerCase();
    const guessed = ALGORITHMS.find((a) => HEX_LENGTH[a] === hex.length);
    const valid = /^[0-9a-f]+$/.test(hex) && guessed !== undefined && (algorithm === undefined || algorithm === guessed);
    // Monit F06 names the file: the service's target carries its path.
    const path = (ctx.target as { path?: unknown } | undefined)?.path;
    if (!valid) ts.error(`Invalid checksum [${digest.text}] for ${typeof path === 'string' ? `file ${path}` : `service ${ctx.serviceName}`}`, tok);
    algorithm = guessed;
    expect = hex;
  }
  paranoid ||= ts.accept('paranoid') !== undefined;
  const test = ctx.polarity === 'changed' ? 'changed' : 'failed';
  return { test, algorithm: algorithm ?? 'md5', ...(expect !== undefined ? { expect } : {}), paranoid };
}

function describe(o: ChecksumOptions): string {
  const expect = o.expect ? ` expect ${o.expect}` : '';
  return `${o.test} ${o.algorithm} checksum${expect}${o.paranoid ? ' paranoid' : ''}`;
}

/**
 * `if changed [md5|sha1|sha256] checksum` (Monit C23) and
 * `if failed [md5|sha1|sha256] checksum [expect HASH]` (C22; sha256 is warden's) on a file.
 * The file is streamed through the hash with 1 MiB double-buffered reads (one of at most
 * 256 KiB is read whole and hashed at once, synchronously); unless the rule
 * says `paranoid`, the last digest is reused while the file's size, mtime, ctime and inode
 * are all unchanged, so a quiet file costs one stat per cycle.
 */
export const checksumTest = defineTest<ChecksumOptions, FileTarget>({
  name: 'checksum.checksum',
  summary: 'The MD5, SHA-1 or SHA-256 digest of a file',
  serviceTypes: ['file'],
  keywords: ['checksum', ...ALGORITHMS],
  polarities: ['failed', 'changed'],
  event: 'checksum',
  codes: {
    'checksum.mismatch': 'the digest differs from the expected one (or from the first one computed)',
    'checksum.unreadable': 'the file cannot be read, so no digest can be computed',
  },
  options: {
    algorithm: { type: 'enum', values: ALGORITHMS, default: 'md5', description: 'The digest; guessed from the length of `expect HASH` when not written.' },
    expect: { type: 'string', description: 'The expected digest in hex (`failed` rules only).' },
    paranoid: { type: 'boolean', default: false, description: 'Hash every cycle, even when size, mtime, ctime and inode are unchanged.' },
  },
  parse(ts, ctx) {
    const options = parseChecksum(ts, ctx);
    const condition = options.test === 'changed' ? { kind: 'changed' as const } : { kind: 'state' as const };
    return { options, condition, describe: describe(options) };
  },
  // The digest is reused while the stat stays; `paranoid` reads the file every cycle.
  steady: (options) => !options.paranoid,
  run(ctx): ProbeResult | Promise<ProbeResult> {
    const { path, stat } = ctx.target;
    if (stat === null) return skipped("file doesn't exist");
    if (stat.kind !== 'file') return skipped('is not a regular file');
    const state = ctx.state as ChecksumState;
    // The digest reported last and the reference survive a restart of warden (Monit keeps
    // checksums in its state file): a change made while warden was down is still a change.
    state.reported ??= ctx.persist?.get('reported') as string | undefined;
    state.baseline ??= ctx.persist?.get('baseline') as string | undefined;
    // A quiet file is judged on the digest kept from the last pass: no I/O, no promise.
    if (!ctx.options.paranoid && state.hash !== undefined && sameStamp(state.stamp, stat)) return judge(ctx, state, state.hash);
    return stat.size <= SMALL_FILE_BYTES ? rehashSmall(ctx, path, stat) : rehash(ctx, path, stat);
  },
});

type ChecksumContext = Parameters<typeof checksumTest.run>[0];

/** True when a digest computed at `kept` holds for `stat`: the same object, or the same size, times and inode. */
function sameStamp(kept: Stamp | undefined, stat: Stamp): boolean {
  return kept === stat || (kept !== undefined && kept.size === stat.size && kept.mtimeMs === stat.mtimeMs && kept.ctimeMs === stat.ctimeMs && kept.ino === stat.ino);
}

/**
 * The digest each target got in the cycle it was hashed in: two rules of a service on one file
 * (`changed` and `failed`) share its target, and hash it once per cycle.
 */
const hashedInCycle = new WeakMap<FileTarget, { cycle: CycleContext; algorithm: DigestAlgorithm; hash: string | undefined }>();

/**
 * A small file (most configuration files) is read and hashed at once, with no promise (once
 * per cycle for all rules on it): at most ~0.5 ms of MD5, while the five thread-pool round
 * trips of {@link hashFile} (open, stat, two reads, close) cost a 4 KiB file ~150 µs of CPU,
 * eight times Monit's whole check. One that grew past the limit since its stat is streamed.
 */
function rehashSmall(ctx: ChecksumContext, path: string, stat: Stamp): ProbeResult | Promise<ProbeResult> {
  const { algorithm } = ctx.options;
  const { cycle } = ctx;
  const done = hashedInCycle.get(ctx.target);
  let hash: string | undefined;
  if (done !== undefined && done.cycle === cycle && done.algorithm === algorithm) {
    hash = done.hash;
  } else {
    try {
      hash = ctx.digestSmallFile(path, algorithm, stat.size);
    } catch (err) {
      return unreadable(ctx, path, err);
    }
    // The target's entry is updated in place: no new object per file and cycle.
    if (done === undefined) hashedInCycle.set(ctx.target, { cycle, algorithm, hash });
    else {
      done.cycle = cycle;
      done.algorithm = algorithm;
      done.hash = hash;
    }
  }
  if (hash === undefined) return rehash(ctx, path, stat);
  return hashed(ctx, stat, hash);
}

/** Stream the file through the hash (once per cycle for all rules on it), then judge. */
async function rehash(ctx: ChecksumContext, path: string, stat: Stamp): Promise<ProbeResult> {
  const { algorithm } = ctx.options;
  let hash: string;
  try {
    // Two rules on one file (`changed` and `failed`) share one pass per cycle.
    const key = `checksum:${algorithm}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}:${path}`;
    hash = await ctx.cycle.memo(key, async () => (await hashFile(path, [algorithm], ctx.signal))[0]!);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return unreadable(ctx, path, err);
  }
  return hashed(ctx, stat, hash);
}

/** Keep the new digest with the stat it was computed at, and judge it. */
function hashed(ctx: ChecksumContext, stamp: Stamp, hash: string): ProbeResult {
  const state = ctx.state as ChecksumState;
  // The same digest again: the string kept stays, and the new one dies young.
  if (hash !== state.hash) state.hash = hash;
  state.stamp = stamp;
  return judge(ctx, state, state.hash!);
}

/** A read failure is its own result. */
function unreadable(ctx: ChecksumContext, path: string, err: unknown): ProbeResult {
  const message = `cannot compute checksum for ${path} -- ${(err as Error).message}`;
  // No permission to read: Monit posts a Data access error, not a checksum failure.
  if ((err as NodeJS.ErrnoException).code === 'EACCES') return dataError('checksum.unreadable', message);
  // A `changed` rule judges values only: a failure would pass unseen, so it is an error (logged every cycle).
  if (ctx.options.test === 'changed') return { status: 'error', code: 'checksum.unreadable', message };
  return fail('checksum.unreadable', message);
}

/** The verdict on `hash`: changed since the last report, or against the expected or first digest. */
function judge(ctx: ChecksumContext, state: ChecksumState, hash: string): ProbeResult {
  const steady = state.steady;
  if (steady !== undefined && steady.hash === hash) {
    ctx.log.debug(steady.line);
    return steady.result;
  }
  const { test, algorithm, expect } = ctx.options;
  const line = `checksum ${hash}`;
  ctx.log.debug(line);
  const extras = { value: hash, observations: { checksum: hash, checksumType: ALGORITHM_NAMES[algorithm] } };
  if (test === 'changed') {
    const previous = state.reported;
    state.reported = hash;
    ctx.persist?.set('reported', hash);
    if (previous !== undefined && previous !== hash) {
      // A later return to the old digest is a change again, not the old steady verdict.
      state.steady = undefined;
      return ok(`checksum changed to ${hash}`, extras);
    }
    // Results are never modified by core (sdk ProbeResult): the same one serves the next cycles.
    const result = ok('checksum has not changed', extras);
    state.steady = { hash, result, line };
    return result;
  }
  if (expect === undefined && state.baseline === undefined) {
    state.baseline = hash;
    ctx.persist?.set('baseline', hash);
  }
  const reference = expect ?? state.baseline!;
  const result = hash !== reference ? fail('checksum.mismatch', `checksum failed, expected ${reference} got ${hash}`, extras) : ok('checksum is valid', extras);
  state.steady = { hash, result, line };
  return result;
}
