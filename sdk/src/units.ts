import type { Comparison, Operator } from './tokens.js';

/** Every spelling Monit accepts for each operator (reference L12). */
const OPERATOR_WORDS: Readonly<Record<string, Operator>> = {
  '>': '>', gt: '>', greater: '>', more: '>', older: '>',
  '>=': '>=', ge: '>=',
  '<': '<', lt: '<', less: '<', newer: '<',
  '<=': '<=', le: '<=',
  '=': '=', '==': '=', eq: '=', equal: '=',
  '!=': '!=', ne: '!=', notequal: '!=',
};

/** The operator for a spelling, or undefined. */
export function operatorFor(spelling: string): Operator | undefined {
  return OPERATOR_WORDS[spelling.toLowerCase()];
}

/** Apply a comparison to an observed value. */
export function compare(observed: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case '>': return observed > threshold;
    case '>=': return observed >= threshold;
    case '<': return observed < threshold;
    case '<=': return observed <= threshold;
    case '=': return observed === threshold;
    case '!=': return observed !== threshold;
  }
}

/** The operator as Monit prints it in messages. */
export function operatorText(op: Operator): string {
  return op;
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1, byte: 1, bytes: 1,
  kb: 1024, kilobyte: 1024, kilobytes: 1024,
  mb: 1024 ** 2, megabyte: 1024 ** 2, megabytes: 1024 ** 2,
  gb: 1024 ** 3, gigabyte: 1024 ** 3, gigabytes: 1024 ** 3,
};

/** Bytes per unit for a size unit word (`kB`, `MB/s`, `megabytes`), or undefined. */
export function sizeUnit(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\/s$/, '');
  return SIZE_UNITS[w];
}

const TIME_UNITS: Readonly<Record<string, number>> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  month: 2_592_000_000, months: 2_592_000_000,
};

/** Milliseconds per unit for a time unit word (`ms`, `s`, `minutes`, `day`), or undefined. */
export function timeUnit(word: string): number | undefined {
  return TIME_UNITS[word.toLowerCase()];
}

/** True for the percent unit words (`%`, `percent`). */
export function isPercent(word: string): boolean {
  const w = word.toLowerCase();
  return w === '%' || w === 'percent';
}

/** Format bytes the way Monit does (`10 B`, `1.6 MB`, `252.0 GB`): whole bytes, one decimal above. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Format a millisecond duration compactly (`250 ms`, `5 s`, `2 m`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} m`;
  return `${ms / 1000} s`;
}

/** Describe a comparison for messages: `> 80%`, `>= 200 MB`. */
export function describeComparison(c: Comparison): string {
  return `${c.op} ${c.text}`;
}
