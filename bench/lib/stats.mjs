// Small numeric helpers shared by the scenarios and the table.

/** Median of the finite numbers in `xs`; undefined when there are none. */
export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `x` with `digits` decimals, or `-` when undefined. */
export function fmt(x, digits = 1) {
  return x === undefined || x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** warden/monit as `1.23x`, or `-`. */
export function ratio(w, m) {
  return w === undefined || m === undefined || !(m > 0) ? undefined : w / m;
}

/** Pad cells to widths (right-aligned, the first left-aligned) and join them. */
export function row(cells, widths) {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' ');
}

/** Resolve after `ms`. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
