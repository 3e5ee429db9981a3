import { defineTest, type Comparison, type ProbeResult } from '@warden/sdk';
import { DATA_CODES, resourceResult, round1, unavailable } from './resource.js';
import type { SystemTarget } from './target.js';

/** `filedescriptors OP N [%]`. */
export interface FiledescriptorsOptions {
  readonly comparison: Comparison;
}

/**
 * `if filedescriptors OP N [%]` (Monit C19) on the machine: file handles allocated by the
 * kernel, as a count or in percent of `fs.file-max` (`/proc/sys/fs/file-nr`).
 */
export const filedescriptorsTest = defineTest<FiledescriptorsOptions, SystemTarget>({
  name: 'system.filedescriptors',
  summary: 'Open file handles of the whole machine',
  serviceTypes: ['system'],
  keywords: ['filedescriptors'],
  polarities: ['none'],
  event: 'resource',
  codes: DATA_CODES,
  metrics: [
    { name: 'node_filefd_allocated', help: 'File descriptor statistics: allocated', type: 'gauge' },
    { name: 'node_filefd_maximum', help: 'File descriptor statistics: maximum', type: 'gauge' },
  ],
  parse(ts) {
    ts.expect('filedescriptors');
    const comparison = ts.comparison(['percent', 'none']);
    return { options: { comparison }, condition: { kind: 'compare', comparison }, describe: `filedescriptors ${comparison.op} ${comparison.text}` };
  },
  run(ctx): ProbeResult {
    const fd = ctx.target.fileDescriptors;
    if (!fd) return unavailable('filedescriptors usage', '/proc/sys/fs/file-nr');
    ctx.metrics.set('node_filefd_allocated', fd.allocated);
    ctx.metrics.set('node_filefd_maximum', fd.maximum);
    const pct = fd.maximum > 0 ? (100 * fd.allocated) / fd.maximum : 0;
    const observations = { filedescriptors: fd.allocated, filedescriptorsMax: fd.maximum, filedescriptorsPercent: round1(pct) };
    const c = ctx.options.comparison;
    if (c.unit === 'percent') return resourceResult(c, 'filedescriptors usage', pct, `${pct.toFixed(1)}%`, `${c.value.toFixed(1)}%`, observations);
    return resourceResult(c, 'filedescriptors usage', fd.allocated, String(fd.allocated), String(c.value), observations);
  },
});
