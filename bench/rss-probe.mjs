// Preloaded into a benchmarked process (`node --import ./bench/rss-probe.mjs …`, plain JavaScript so
// that it adds no loader): samples the resident set size every RSS_PROBE_MS milliseconds and, at
// exit, writes the samples and the peak (getrusage maxRSS) to RSS_PROBE_FILE as JSON.
import { writeFileSync } from 'node:fs';

const file = process.env.RSS_PROBE_FILE;
const every = Number(process.env.RSS_PROBE_MS ?? 200);
const start = Date.now();
const samples = [];
if (file) {
  setInterval(() => samples.push([Date.now() - start, process.memoryUsage.rss()]), every).unref();
  process.on('exit', () => {
    samples.push([Date.now() - start, process.memoryUsage.rss()]);
    writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, samples }));
  });
}
