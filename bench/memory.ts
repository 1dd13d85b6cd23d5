/**
 * `npm run bench:memory`: how much memory the command line holds, in fresh processes.
 *
 * - Peak: `cahier generate` of a ~2 000-requirement tender (the large request's ten lots four
 *   times over, 40 lots), CCTP only, each run in a fresh process; peak RSS from getrusage
 *   (maxRSS, the whole life of the process: Node, modules, fonts, the generation).
 * - Steady: one `cahier generate <folder>` over 1 000 medium requests in a row, each with its
 *   buyer's texts rewritten (bench/unseen.ts) so that every tender brings words the process has
 *   not shaped yet and the process-wide caches are exercised to their bounds; RSS sampled every
 *   200 ms, reported at each tenth of the run; "steady" compares the second half with the end of
 *   the first fifth (warm-up).
 *
 * Both run the compiled CLI (bin/cahier.js) with bench/rss-probe.mjs preloaded (plain JavaScript,
 * no loader). Writes the section "## Memory" of BENCHMARKS.md. Not part of npm test.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { largeRequest, mediumRequest } from './requests.ts';
import { revision } from './revision.ts';
import { replaceSection } from './sections.ts';
import { unseenRequest } from './unseen.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = path.join(ROOT, 'bench', '.tmp', 'memory');
const OUTPUT = path.join(ROOT, 'BENCHMARKS.md');
const PROBE = path.join(ROOT, 'bench', 'rss-probe.mjs');
const BIN = path.join(ROOT, 'bin', 'cahier.js');
const SECTION = '## Memory';
const LIMIT_MB = 256;

const { values: options } = parseArgs({ options: { tenders: { type: 'string', default: '1000' }, peak: { type: 'string', default: '3' } } });
const TENDERS = Number(options.tenders);
const PEAK_RUNS = Number(options.peak);

interface Probe {
  maxRssBytes: number;
  samples: Array<[ms: number, rss: number]>;
}

const mb = (bytes: number) => bytes / (1024 * 1024);
const f0 = (n: number) => n.toFixed(0);

/** Runs the CLI with the probe; returns the probe's record and the command's output. */
function cli(args: string[], name: string): { probe: Probe; stdout: string; ms: number } {
  const file = path.join(WORK, `${name}.probe.json`);
  const start = performance.now();
  const stdout = execFileSync(process.execPath, ['--import', PROBE, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RSS_PROBE_FILE: file, RSS_PROBE_MS: '200' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { probe: JSON.parse(readFileSync(file, 'utf8')) as Probe, stdout, ms: performance.now() - start };
}

/** The large request's ten lots, four times over (≈ 2 000 requirement rows). */
function hugeRequest(): Record<string, any> {
  const large = largeRequest() as Record<string, any>;
  const lots = [1, 2, 3, 4].flatMap((round) => (large.lots as Record<string, any>[]).map((lot) => ({ ...structuredClone(lot), title: `${lot.title} (tranche de commandes ${round})` })));
  return { ...large, reference: 'AC-2026-COL-NUM-XXL', contract: { ...large.contract, maximumAmount: 26_000_000 }, lots };
}

async function main(): Promise<void> {
  const started = performance.now();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  // Built every time (≈ 1.5 s): a dist/ left from an earlier checkout would measure that checkout's code under this commit's name.
  execFileSync('npm', ['run', '-s', 'build:cli'], { cwd: ROOT, stdio: 'inherit' });
  const commit = revision(ROOT);
  const loadStart = os.loadavg()[0]!;

  // Peak: the ~2 000-requirement tender, fresh processes.
  const huge = path.join(WORK, 'huge.json');
  writeFileSync(huge, JSON.stringify(hugeRequest()));
  const peaks: Array<{ maxRss: number; ms: number }> = [];
  let pages = '';
  for (let i = 0; i < PEAK_RUNS; i++) {
    const out = path.join(WORK, `huge-out-${i}`);
    const { probe, ms } = cli(['generate', huge, '--out', out, '--format', 'pdf'], `huge-${i}`);
    peaks.push({ maxRss: probe.maxRssBytes, ms });
    if (i === 0) pages = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [path.join(out, 'cctp.pdf')], { encoding: 'utf8' }))?.[1] ?? '?';
  }
  const rows = JSON.parse(readFileSync(path.join(WORK, 'huge-out-0', 'report.json'), 'utf8')) as Record<string, any>;
  const hugeRequirements = countRequirements(rows);

  // Steady: 1 000 tenders in a row, one process.
  const folder = path.join(WORK, 'tenders');
  mkdirSync(folder);
  for (let i = 0; i < TENDERS; i++) writeFileSync(path.join(folder, `t${String(i).padStart(4, '0')}.json`), JSON.stringify(unseenRequest(mediumRequest(), 5000 + i)));
  const folderOut = path.join(WORK, 'tenders-out');
  const steady = cli(['generate', folder, '--out', folderOut, '--format', 'pdf'], 'steady');
  const generated = readdirSync(folderOut).length;
  const lastLine = steady.stdout.trim().split('\n').pop() ?? '';

  const samples = steady.probe.samples;
  const duration = samples[samples.length - 1]![0];
  const at = (fraction: number) => samples.filter(([t]) => t <= fraction * duration).pop()?.[1] ?? samples[0]![1];
  const window = (from: number, to: number) => samples.filter(([t]) => t >= from * duration && t <= to * duration).map(([, rss]) => rss);
  // The samples up to a fifth of the run (at least the first one after 10 %): the process warmed up.
  const warm = Math.max(...window(0.1, 0.2), at(0.2));
  const secondHalf = window(0.5, 1);
  const steadyMax = Math.max(...secondHalf);
  const steadyEnd = at(1);
  const growth = steadyMax - warm;
  const peakMax = Math.max(...peaks.map((p) => p.maxRss));
  const loadEnd = os.loadavg()[0]!;

  const lines = [
    SECTION,
    '',
    `Generated by \`npm run bench:memory\` (bench/memory.ts), which rewrites this section only. ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; commit ${commit}; ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, ${f0(mb(os.totalmem()) / 1024)} GB; Node ${process.version}; 1-minute load average ${loadStart.toFixed(1)} → ${loadEnd.toFixed(1)}; whole run ${f0((performance.now() - started) / 1000)} s. The compiled CLI (\`node bin/cahier.js\`), bench/rss-probe.mjs preloaded: RSS sampled every 200 ms, peak from getrusage (maxRSS).`,
    '',
    '| case | measured | target | |',
    '| --- | --- | --- | :---: |',
    `| one generation of ${hugeRequirements} requirements (40 lots, CCTP of ${pages} pages), fresh process, ${PEAK_RUNS} runs | peak RSS ${peaks.map((p) => f0(mb(p.maxRss))).join(', ')} MB (${peaks.map((p) => `${(p.ms / 1000).toFixed(1)} s`).join(', ')}) | < ${LIMIT_MB} MB | ${mb(peakMax) < LIMIT_MB ? '✓' : '✗'} |`,
    `| ${generated} medium tenders in a row (buyer’s texts new in each), one \`cahier generate <folder> --format pdf\` | after warm-up (10–20 % of the run) ≤ ${f0(mb(warm))} MB; second half ≤ ${f0(mb(steadyMax))} MB; at the end ${f0(mb(steadyEnd))} MB; peak ${f0(mb(steady.probe.maxRssBytes))} MB | steady < ${LIMIT_MB} MB, no growth after warm-up | ${mb(steadyMax) < LIMIT_MB && growth < 0.1 * warm ? '✓' : '✗'} |`,
    '',
    `RSS of the ${generated}-tender run at each tenth (MB): ${[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((q) => f0(mb(at(q)))).join(' · ')}. Growth from warm-up to the second half's maximum: ${f0(mb(growth))} MB. The command's own last line: « ${lastLine} »`,
  ];
  const report = lines.join('\n');
  console.log(report);
  writeFileSync(OUTPUT, replaceSection(readFileSync(OUTPUT, 'utf8'), SECTION, report, '## Bundle budget'));
  rmSync(WORK, { recursive: true, force: true });
}

/** Requirement rows of a generation, summed over the lots of its report.json. */
function countRequirements(report: Record<string, any>): number {
  return (report.lots as Array<{ requirements: number }>).reduce((n, l) => n + l.requirements, 0);
}

await main();
