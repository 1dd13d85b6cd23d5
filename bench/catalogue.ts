/**
 * npm run bench:catalogue — checks a 10 000-product catalogue (the sample's 320 products repeated
 * under new references) with `cahier conformity`, in this process, and prints the wall time, the
 * peak resident memory (getrusage maxRSS) and the progress lines the command wrote. Figures go to
 * BENCHMARKS.md by hand; nothing here is asserted on time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '#src/entry/cli.ts';
import { largeCatalogueCsv } from '../test/support/large-catalogue.ts';

const COUNT = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'cahier-bench-catalogue-'));
const file = join(dir, 'catalogue.csv');
writeFileSync(file, largeCatalogueCsv(COUNT));
const progress: string[] = [];
const started = performance.now();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(`before the command: RSS ${mb(process.memoryUsage().rss)}, heap ${mb(process.memoryUsage().heapUsed)}`);
const code = await runCli(['conformity', file, '--framework', 'carmo-education@2', '--out', join(dir, 'out')], {
  stdout: (l) => console.log(l),
  stderr: (l) => console.error(l),
  progress: (l) => {
    progress.push(l);
    const { rss, heapUsed } = process.memoryUsage();
    console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  RSS ${mb(rss).padStart(7)}  heap ${mb(heapUsed).padStart(7)}  ${l}`);
  },
});
const seconds = (performance.now() - started) / 1000;
console.log(`\n${COUNT} products, ${(readFileSync(file).byteLength / 1e6).toFixed(1)} MB of CSV: exit ${code}, ${seconds.toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`progress lines: ${progress.length} (${progress.slice(0, 3).join(' | ')} …)`);
