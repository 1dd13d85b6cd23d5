// Preloaded into a benchmarked process (`node --import ./bench/rss-probe.mjs …`, plain JavaScript so
// that it adds no loader): samples the resident set size every RSS_PROBE_MS milliseconds and, at
// exit, writes the samples [ms, rss, heapUsed, external + arrayBuffers] and the peak (getrusage maxRSS)
// to RSS_PROBE_FILE as JSON.
import { writeFileSync } from 'node:fs';

const file = process.env.RSS_PROBE_FILE;
const every = Number(process.env.RSS_PROBE_MS ?? 200);
const start = Date.now();
const samples = [];
if (file) {
  setInterval(() => {
    // With RSS_PROBE_GC and --expose-gc, a full collection first: heapUsed is then what is retained.
    if (process.env.RSS_PROBE_GC && globalThis.gc) globalThis.gc();
    const m = process.memoryUsage();
    samples.push([Date.now() - start, m.rss, m.heapUsed, m.external + m.arrayBuffers]);
  }, every).unref();
  process.on('exit', () => {
    const m = process.memoryUsage();
    samples.push([Date.now() - start, m.rss, m.heapUsed, m.external + m.arrayBuffers]);
    writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, samples }));
  });
}
