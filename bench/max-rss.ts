// Preloaded into a child process (`node --import .../max-rss.js`): when the process exits, its
// peak resident set size (bytes) and CPU time (µs) go to the file named by OH_BENCH_RSS_FILE as
// JSON, for the parent to read.
import { writeFileSync } from 'node:fs';

const target = process.env['OH_BENCH_RSS_FILE'];
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
  });
}
