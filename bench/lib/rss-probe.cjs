// Preloaded into every benchmarked Node process (NODE_OPTIONS=--require): on exit it appends the process's
// peak resident set size (KB) to the file named by CHTKIT_BENCH_RSS_FILE.
const fs = require('node:fs');
const out = process.env.CHTKIT_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    try {
      fs.appendFileSync(out, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // best effort: a benchmark without an RSS figure still has its times
    }
  });
}
