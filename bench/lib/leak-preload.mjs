// A known leak, to check that the soak's rule sees one: preloaded into warden with
//   node bench/soak.mjs --minutes 6 --services 200 -- --import ./bench/lib/leak-preload.mjs
// it keeps LEAK_KB (default 200) more of JS heap every 30 s (0.4 MB a minute), for good.
const kb = Number(process.env.LEAK_KB ?? 200);
const kept = [];
setInterval(() => kept.push(new Array(Math.round((kb * 1024) / 8)).fill(0.5)), 30_000).unref();
