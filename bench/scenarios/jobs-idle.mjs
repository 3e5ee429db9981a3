// warden supervising N idle pmtr jobs (1, 100, 500, 2000) under `prlimit --nofile=1024`: RSS,
// CPU while idle, descriptors, SIGTERM → every job gone. warden only (Monit has no supervised
// jobs); pmtr's figures from reference/pmtr-behaviour.md (d) are the reference — pmtr itself
// stops at about 520 jobs under that limit. The measurement is the supervisor plugin's
// scale benchmark (plugins/supervisor/bench/scale.mjs).
import { idleJobs, idleJobsGood, idleJobsTable } from '../../plugins/supervisor/bench/scale.mjs';

/** pmtr's total RSS (pmtr + pmtr-log + pmtr-dep) by N, pmtr-behaviour.md (d). */
const PMTR_TOTAL_RSS_MB = { 1: 3.6, 100: 3.9, 500: 5.2 };

export const jobsIdle = {
  name: 'jobs-idle',
  title: 'N idle supervised jobs (pmtr.conf) under nofile 1024: RSS, idle CPU, fds, clean stop (pmtr reference)',
  kind: 'custom',
  wardenOnly: true,
  requires: ['service-type:job'],
  async run(ctx) {
    const sizes = ctx.sizes?.length ? ctx.sizes : ctx.quick ? [1, 100] : [1, 100, 500, 2000];
    const windowS = ctx.quick ? 3 : 5;
    const rows = [];
    for (const n of sizes) {
      const r = await idleJobs(n, { windowS, wardenBin: ctx.wardenBin });
      rows.push({ ...r, pmtrTotalRssMb: PMTR_TOTAL_RSS_MB[n] ?? (n > 520 ? 'pmtr exits (EMFILE at ~520 jobs)' : null) });
      ctx.progress(`jobs-idle N=${n}: ${r.running} running, VmRSS ${r.rssKb} kB, CPU ${r.cpuPct?.toFixed(3)} %, left ${r.left}, zombies ${r.zombies}`);
    }
    const lines = idleJobsTable(rows, windowS);
    lines.push(`pmtr total RSS (pmtr-behaviour.md (d)): ${Object.entries(PMTR_TOTAL_RSS_MB).map(([n, mb]) => `N=${n} ${mb} MB`).join(', ')}; N=520 under nofile 1024: pmtr exits`);
    return { result: { windowS, rows, allGood: rows.every(idleJobsGood) }, lines };
  },
};
