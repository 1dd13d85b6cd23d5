/**
 * One Cahier generation of the large tender in a fresh process, for peak memory.
 * Run by bench/run.ts as `node --import tsx bench/child-large.ts`; prints one JSON line.
 *
 * maxRSS covers the whole life of the process: Node itself, the loaded modules (the tsx loader
 * included), the parsed fonts and the generation. `baselineRss` is the resident size once the
 * modules are loaded and before anything is generated, to tell the two apart.
 */
import { performance } from 'node:perf_hooks';
import { generateFrom, realDeps } from '../test/support/pipeline.ts';
import { largeRequest } from './requests.ts';

export interface ChildResult {
  baselineRssBytes: number;
  maxRssBytes: number;
  heapUsedAfterBytes: number;
  rssAfterBytes: number;
  /** First generation in this process: catalogue load, template compile, font parsing included. */
  coldMs: number;
  pdfBytes: number;
}

const baselineRssBytes = process.memoryUsage().rss;
const start = performance.now();
const deps = await realDeps();
const { documents } = await generateFrom(largeRequest(), deps);
const coldMs = performance.now() - start;
const memory = process.memoryUsage();
const result: ChildResult = {
  baselineRssBytes,
  // resourceUsage().maxRSS is in kilobytes.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  heapUsedAfterBytes: memory.heapUsed,
  rssAfterBytes: memory.rss,
  coldMs,
  pdfBytes: documents[0]!.content.byteLength,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
