// The targets, checked against the medians of a run.
import { fmt, ratio } from './stats.mjs';

/** One line per target and measured point: [target, where, value, limit, verdict]. */
export function checkTargets(report, intervalMs) {
  const out = [];
  const add = (target, where, value, limit, digits = 2) => {
    if (value === undefined || !Number.isFinite(value)) return out.push([target, where, '-', `≤ ${limit}`, 'n/a']);
    out.push([target, where, fmt(value, digits), `≤ ${limit}`, value <= limit ? 'ok' : 'MISSED']);
  };
  for (const s of report.scenarios) {
    if (s.kind !== 'cycle' || !s.results) continue;
    for (const r of s.results) {
      const w = r.warden;
      const m = r.monit;
      if (!w) continue;
      const where = `${s.name} N=${r.services}`;
      const cpu = ratio(w.cpuMsPerCycle, m?.cpuMsPerCycle);
      if (s.family === 'file') add('CPU/cycle vs Monit (file)', where, cpu, 1.2);
      if (s.name === 'file-checksum') add('CPU/cycle vs Monit (stat-gated rehash)', where, cpu, 0.5);
      const paranoid = r.variants?.paranoid;
      if (paranoid) add('CPU/cycle vs Monit (hashing every cycle)', `${where} paranoid`, ratio(paranoid.cpuMsPerCycle, m?.cpuMsPerCycle), 1.2);
      if (s.family === 'process') add('CPU/cycle vs Monit (process)', where, cpu, 0.25);
      if (s.family === 'process-few') add('CPU/cycle vs Monit (100 checks among 5000)', where, cpu, 0.1);
      if (s.family === 'host') {
        add('CPU/cycle vs Monit (host)', where, cpu, 1.5);
        add('cycle wall vs Monit (host)', where, ratio(w.wallMs, m?.wallMs), 0.5);
      }
      if (w.wallMs < intervalMs) add('period / interval (work fits)', where, w.periodMs / intervalMs, 1.05, 3);
      if (r.services <= 100) add('start-up to first full cycle, ms (N ≤ 100)', where, w.startupMs, 250, 0);
      if (r.services >= 5000) add('start-up vs Monit (N ≥ 5000)', where, ratio(w.startupMs, m?.startupMs), 1.0);
      if (r.services === 100) add('steady RSS, MB (100 services)', where, w.rssKb / 1024, 60, 1);
      if (r.services === 5000) add('steady RSS, MB (5000 services)', where, w.rssKb / 1024, 80, 1);
    }
  }
  for (const s of report.scenarios) {
    if (s.name === 'react-pidfile' && s.result) add('pidfile process kill -9 → restarted, ms', s.name, s.result['kill -9 → new pid running']?.warden?.medianMs, 50, 1);
    if (s.name === 'react-job' && s.result) add('supervised job kill -9 → restarted, ms', s.name, s.result['kill -9 → new child running']?.warden?.medianMs, 10, 1);
    if (s.name === 'jobs-idle' && s.result) {
      for (const r of s.result.rows) {
        const where = `${s.name} N=${r.n}`;
        out.push(['idle jobs: all run, none left or zombie on TERM', where, `${r.running}/${r.n}`, 'all', r.running >= r.n && r.left === 0 && r.zombies === 0 ? 'ok' : 'MISSED']);
      }
    }
    if (s.name !== 'react-mail' || !s.result) continue;
    // metric names as bench/scenarios/react-mail.mjs reports them
    const median = (metric, kind = 'warden') => s.result[metric]?.[kind]?.medianMs;
    const mail = 'change → mail accepted';
    add('alert mail vs Monit (change → accepted)', s.name, ratio(median(mail), median(mail, 'monit')), 1.0);
    add('mail dispatch after the failing check, ms', s.name, median('log line → SMTP connect'), 20, 1);
    add('server back → 1st queued mail, ms', s.name, median('server back → 1st queued mail'), intervalMs + 200, 0);
    add('bytes per queued event', s.name, median('bytes per queued event (B)'), 1024, 0);
  }
  return out;
}
