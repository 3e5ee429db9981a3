import { compare, defineTest, ok, type Comparison, type TokenStream } from '@warden/sdk';
import { isStat, presentStat, type PathStat, type PathTarget } from './path-target.js';

/** Which time a rule reads: the newest of mtime and ctime (`timestamp`), or one of them. */
export type TimestampKind = 'timestamp' | 'access' | 'change' | 'modify';

/** `if TIMESTAMP OP N [unit]` keeps the threshold (milliseconds of age); `changed` has none. */
export interface TimestampOptions {
  readonly which: TimestampKind;
  readonly comparison?: Comparison;
}

/** Monit's names for the four (its `timestampnames`), used in every message. */
const NAMES: Readonly<Record<TimestampKind, string>> = {
  timestamp: 'modify/change time',
  access: 'access time',
  change: 'change time',
  modify: 'modify time',
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sun, 22 Nov 2026 08:33:07` in local time: Monit's `Time_string`, as in its status output. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]}, ${p(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The milliseconds a rule reads from a stat. */
export function timeOf(stat: PathStat, which: TimestampKind): number {
  switch (which) {
    case 'access': return stat.atimeMs;
    case 'change': return stat.ctimeMs;
    case 'modify': return stat.mtimeMs;
    case 'timestamp': return Math.max(stat.mtimeMs, stat.ctimeMs);
  }
}

/** `timestamp`, `time`, `atime`, `access [time]`, `ctime`, `change [time]`, `mtime`, `modification|modify [time]`. */
function parseWhich(ts: TokenStream): TimestampKind {
  const tok = ts.expect('timestamp', 'time', 'atime', 'access', 'ctime', 'change', 'mtime', 'modification', 'modify');
  const word = tok.text.toLowerCase();
  if (['access', 'change', 'modification', 'modify'].includes(word)) ts.accept('time', 'timestamp');
  if (word === 'atime' || word === 'access') return 'access';
  if (word === 'ctime' || word === 'change') return 'change';
  if (word === 'mtime' || word === 'modification' || word === 'modify') return 'modify';
  return 'timestamp';
}

/**
 * `if timestamp|atime|ctime|mtime OP N [unit]` (Monit C24; `older` is `>` and `newer` is
 * `<`, on the age in milliseconds, seconds when no unit is written) and
 * `if changed timestamp|…` (C25) for a file, fifo or directory.
 */
export const timestampTest = defineTest<TimestampOptions, PathTarget>({
  name: 'file.timestamp',
  summary: 'The age or change of a path\'s access, change or modification time',
  serviceTypes: ['file', 'fifo', 'directory'],
  keywords: ['timestamp', 'time', 'atime', 'access', 'ctime', 'change', 'mtime', 'modification', 'modify'],
  polarities: ['none', 'changed'],
  event: 'timestamp',
  codes: {},
  parse(ts, ctx) {
    const which = parseWhich(ts);
    const word = which === 'timestamp' ? 'timestamp' : { access: 'atime', change: 'ctime', modify: 'mtime' }[which];
    if (ctx.polarity === 'changed') return { options: { which }, condition: { kind: 'changed' }, describe: `changed ${word}` };
    const comparison = ts.comparison(['ms']);
    return { options: { which, comparison }, condition: { kind: 'compare', comparison }, describe: `${word} ${comparison.op} ${comparison.text}` };
  },
  // `changed timestamp` reads the stat only; an age (`timestamp > 1 hour`) moves with the clock.
  steady: (options) => options.comparison === undefined,
  run(ctx) {
    const stat = presentStat(ctx.target, ctx.service.type);
    if (!isStat(stat)) return stat;
    const { which, comparison } = ctx.options;
    const name = NAMES[which];
    const { path } = ctx.target;
    const time = timeOf(stat, which);
    // Formatting a date costs more than the stat: reuse the text while the time stays.
    if (ctx.state.shownTime !== time) {
      ctx.state.shownTime = time;
      ctx.state.shown = formatTime(time);
    }
    const shown = ctx.state.shown as string;
    const observations = { [`${which}Time`]: Math.floor(time / 1000) };
    if (!comparison) {
      const previous = ctx.state.lastTime as number | undefined;
      ctx.state.lastTime = time;
      const extras = { value: time, display: shown, observations };
      if (previous !== undefined && previous !== time) return ok(`${name} for ${path} changed from ${formatTime(previous)} to ${shown}`, extras);
      return ok(`${name} was not changed for ${path}`, extras);
    }
    const age = ctx.clock.now() - time;
    const extras = { value: age, display: `${Math.round(age / 1000)} s`, observations };
    if (compare(age, comparison.op, comparison.value)) return ok(`${name} for ${path} failed -- current ${name} is ${shown}`, extras);
    return ok(`${name} test succeeded for ${path} [current ${name} is ${shown}]`, extras);
  },
});
