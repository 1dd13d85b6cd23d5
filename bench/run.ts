/**
 * `npm run bench`: how fast Cahier turns a tender into a PDF, against headless Chromium printing
 * the same document, engines interleaved run by run. Prints a Markdown report, writes it at the
 * top of BENCHMARKS.md and the ratios to bench/results.json.
 *
 * `npm run bench:check` (`--check`): the same cases with fewer runs, compared with the ratios
 * recorded in bench/results.json; exits 1 when a ratio fell below the recorded one by more than
 * the tolerance (`--tolerance`, default 0.25). Writes nothing. A benchmark, not part of npm test.
 *
 * Method (issue #19):
 * - interleaved: each iteration runs both engines, Cahier first on even iterations, Chromium
 *   first on odd ones (A B, B A, …), so load that comes and goes hits both alike; warm-up
 *   iterations run both engines too and are not counted;
 * - wall and CPU: wall from performance.now(); CPU as user + system time, Cahier's from
 *   process.cpuUsage(), Chromium's as the Node side (renderHtml, DevTools protocol) plus every
 *   Chromium process's CPU read from /proc (10 ms ticks per process: read medians, not samples);
 * - min / median / max of each, ratio of the medians (Chromium ÷ Cahier);
 * - unseen content: the medium tender with the buyer's texts rewritten for each iteration
 *   (request → PDF, whole pipeline), and with every printed word rewritten (model → PDF), so
 *   the process-wide word, width and glyph caches hold none of it (bench/unseen.ts);
 * - one font on both sides: Chromium lays out with the DejaVu faces the PDF embeds, pinned by
 *   fontconfig (bench/chromium.ts); one footer (the CSS page-margin boxes, as the PDF prints it);
 * - the 1-minute load average at the start and the end: the machine is shared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { revision } from './revision.ts';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getDocumentProxy } from 'unpdf';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { cctpModel, evaluateFrom, generateFrom, realDeps } from '../test/support/pipeline.ts';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, PDF_OPTIONS, descendantsCpuMs, pinnedFontEnvironment } from './chromium.ts';
import type { ChildResult } from './child-large.ts';
import { renderHtml } from './render-html.ts';
import { REQUESTS } from './requests.ts';
import { kb, mb, ms, summarise, type Summary } from './stats.ts';
import { unseenModel, unseenRequest } from './unseen.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./child-large.ts', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

const { values: options } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    tolerance: { type: 'string', default: '0.25' },
  },
});
const CHECK = options.check;
const TOLERANCE = Number(options.tolerance);

const WARMUP = 3;
const MEMORY_RUNS = 3;

/** Everything in BENCHMARKS.md from this line on is written by hand and kept across runs. */
const NOTES_MARKER = '<!-- Hand-written notes: npm run bench keeps everything below this line. -->';

const TARGETS = { mediumUnseen: 8, large: 6, largeMs: 1000 } as const;

/** One iteration's work for each engine; building it is not timed. */
interface Job {
  cahier: () => Promise<Uint8Array>;
  model: DocumentModel;
}

interface BenchCase {
  name: string;
  what: string;
  runs: number;
  checkRuns: number;
  /** The job of iteration `i` (negative: warm-up). */
  job: (i: number) => Promise<Job>;
  requirements: () => Promise<{ requirements: number; lots: number }>;
}

interface Side {
  wall: Summary;
  cpu: Summary;
}

interface CaseResult {
  name: string;
  what: string;
  requirements: number;
  lots: number;
  runs: number;
  cahier: Side;
  chromium: Side;
  cahierPages: number;
  chromiumPages: number;
  cahierBytes: number;
  chromiumBytes: number;
}

interface Recorded {
  commit: string;
  date: string;
  ratios: Record<string, { wall: number; cpu: number }>;
}

let browser: Browser | undefined;
let interrupted = false;
const children = new Set<ChildProcess>();

async function cleanup(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  children.clear();
  const open = browser;
  browser = undefined;
  await open?.close().catch(() => undefined);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: closing Chromium and child processes…\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function pageCount(pdf: Uint8Array): Promise<number> {
  // pdf.js may transfer the buffer it is given: hand it a copy.
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  try {
    return proxy.numPages;
  } finally {
    await proxy.destroy();
  }
}

function cases(deps: GenerateDocumentsDeps): BenchCase[] {
  const counted = (request: Record<string, unknown>) => async () => {
    const { tender, rules } = await evaluateFrom(request, deps.catalogue);
    if (rules.blocking) throw new Error(`bench request is blocked by the rules: ${rules.findings.filter((f) => f.severity === 'error').map((f) => f.code).join(', ')}`);
    return { requirements: tender.lots.reduce((n, lot) => n + lot.requirements.length, 0), lots: tender.lots.length };
  };
  // The CCTP alone: the default formats add the note interne, a second PDF Chromium does not print.
  const pdfOf = async (request: unknown) => (await generateFrom(request, deps, ['pdf'])).documents[0]!.content;
  const seen = (name: 'small' | 'medium' | 'large', runs: number, checkRuns: number): BenchCase => {
    const request = REQUESTS[name]();
    let model: Promise<DocumentModel> | undefined;
    return {
      name,
      what: 'same request every iteration, request → PDF',
      runs,
      checkRuns,
      requirements: counted(request),
      job: async () => ({ cahier: () => pdfOf(request), model: await (model ??= cctpModel(request, deps)) }),
    };
  };
  const medium = REQUESTS.medium();
  return [
    seen('small', 25, 11),
    seen('medium', 25, 11),
    {
      name: 'medium-unseen',
      what: 'buyer’s texts rewritten each iteration, request → PDF',
      runs: 25,
      checkRuns: 11,
      requirements: counted(medium),
      job: async (i) => {
        const request = unseenRequest(medium, 1000 + i);
        return { cahier: () => pdfOf(request), model: await cctpModel(request, deps) };
      },
    },
    {
      name: 'medium-unseen-words',
      what: 'every printed word rewritten each iteration, model → PDF (`renderPdf`)',
      runs: 25,
      checkRuns: 11,
      requirements: counted(medium),
      job: async (i) => {
        const model = unseenModel(await cctpModel(medium, deps), 2000 + i);
        return { cahier: () => renderPdf(model), model };
      },
    },
    seen('large', 11, 5),
  ];
}

interface Sample {
  wall: number;
  cpu: number;
}

async function timeCahier(run: () => Promise<Uint8Array>): Promise<Sample & { pdf: Uint8Array }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const pdf = await run();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000, pdf };
}

async function timeChromium(page: Page, model: DocumentModel): Promise<Sample & { pdf: Uint8Array }> {
  const browserCpu0 = descendantsCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await page.setContent(renderHtml(model), { waitUntil: 'load' });
  const pdf = await page.pdf(PDF_OPTIONS);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const browserCpu = descendantsCpuMs() - browserCpu0;
  return { wall, cpu: (cpu.user + cpu.system) / 1000 + browserCpu, pdf };
}

async function runCase(c: BenchCase, page: Page): Promise<CaseResult> {
  const runs = CHECK ? c.checkRuns : c.runs;
  const { requirements, lots } = await c.requirements();
  log(`${c.name}: ${requirements} requirements in ${lots} lot(s); ${WARMUP} warm-up + ${runs} interleaved iterations`);
  const samples = { cahier: [] as Sample[], chromium: [] as Sample[] };
  let last: { cahier: Uint8Array; chromium: Uint8Array } | undefined;
  for (let i = -WARMUP; i < runs; i++) {
    const job = await c.job(i);
    const first = i % 2 === 0 ? 'cahier' : 'chromium';
    let a: Sample & { pdf: Uint8Array };
    let b: Sample & { pdf: Uint8Array };
    if (first === 'cahier') {
      a = await timeCahier(job.cahier);
      b = await timeChromium(page, job.model);
    } else {
      b = await timeChromium(page, job.model);
      a = await timeCahier(job.cahier);
    }
    if (i < 0) continue;
    samples.cahier.push(a);
    samples.chromium.push(b);
    last = { cahier: a.pdf, chromium: b.pdf };
  }
  const side = (list: Sample[]): Side => ({ wall: summarise(list.map((s) => s.wall)), cpu: summarise(list.map((s) => s.cpu)) });
  const result: CaseResult = {
    name: c.name,
    what: c.what,
    requirements,
    lots,
    runs,
    cahier: side(samples.cahier),
    chromium: side(samples.chromium),
    cahierPages: await pageCount(last!.cahier),
    chromiumPages: await pageCount(last!.chromium),
    cahierBytes: last!.cahier.byteLength,
    chromiumBytes: last!.chromium.byteLength,
  };
  log(
    `  wall median Cahier ${ms(result.cahier.wall.median)} ms, Chromium ${ms(result.chromium.wall.median)} ms: ${ratio(result, 'wall')}; ` +
      `CPU ${ms(result.cahier.cpu.median)} / ${ms(result.chromium.cpu.median)} ms: ${ratio(result, 'cpu')}`,
  );
  return result;
}

const ratioOf = (r: CaseResult, of: 'wall' | 'cpu'): number => r.chromium[of].median / r.cahier[of].median;
const ratio = (r: CaseResult, of: 'wall' | 'cpu'): string => `${ratioOf(r, of).toFixed(1)}×`;

function runChild(): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', (error) => {
      children.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`child-large exited with ${signal ?? code}`));
      const line = stdout.trim().split('\n').at(-1);
      try {
        resolve(JSON.parse(line ?? '') as ChildResult);
      } catch {
        reject(new Error(`child-large printed no result: ${stdout}`));
      }
    });
  });
}

async function benchMemory(): Promise<ChildResult[]> {
  const runs: ChildResult[] = [];
  for (let i = 0; i < MEMORY_RUNS; i++) {
    const result = await runChild();
    log(`large in a fresh process #${i + 1}: maxRSS ${mb(result.maxRssBytes)} MB, heap after ${mb(result.heapUsedAfterBytes)} MB, cold ${ms(result.coldMs)} ms`);
    runs.push(result);
  }
  return runs;
}

/** The hand-written notes of the current BENCHMARKS.md (marker included), or an empty notes section. */
async function previousNotes(): Promise<string> {
  const current = await readFile(OUTPUT, 'utf8').catch(() => '');
  const at = current.indexOf(NOTES_MARKER);
  return at >= 0 ? current.slice(at) : `${NOTES_MARKER}\n`;
}

interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  chromium: string;
  platform: string;
  load: [number, number];
}

const check = (ok: boolean): string => (ok ? '✓' : '✗');
const spread = (s: Summary): string => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;

function report(o: { date: string; commit: string; machine: Machine; depsMs: number; coldMs: number; results: CaseResult[]; memory: ChildResult[]; totalS: number }): string {
  const { machine, results, memory } = o;
  const by = Object.fromEntries(results.map((r) => [r.name, r])) as Record<string, CaseResult>;
  const unseen = by['medium-unseen']!;
  const unseenWords = by['medium-unseen-words']!;
  const large = by.large!;
  const maxRss = summarise(memory.map((r) => r.maxRssBytes / (1024 * 1024)));
  const baseline = summarise(memory.map((r) => r.baselineRssBytes / (1024 * 1024)));
  const heap = summarise(memory.map((r) => r.heapUsedAfterBytes / (1024 * 1024)));
  const childCold = summarise(memory.map((r) => r.coldMs));
  const lines: string[] = [];
  lines.push('# Benchmarks');
  lines.push('');
  lines.push('Generated by `npm run bench` (bench/run.ts); rerun it to refresh this part of the file, which it overwrites down to the hand-written notes.');
  lines.push('');
  lines.push(`- Date: ${o.date}; commit ${o.commit}`);
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, ${machine.platform}`);
  lines.push(`- Node ${machine.node}; Chromium ${machine.chromium} (headless, playwright-core, /usr/bin/chromium, DejaVu faces pinned by fontconfig)`);
  lines.push(
    `- Whole run: ${o.totalS.toFixed(0)} s; 1-minute load average ${machine.load[0].toFixed(1)} at the start, ${machine.load[1].toFixed(1)} at the end, on ${machine.cores} cores ` +
      '(a shared machine: other agents’ test suites run meanwhile, which is why the engines are interleaved and why ratios, not absolute times, are what compare across runs)',
  );
  lines.push('');
  lines.push('## Engines, interleaved');
  lines.push('');
  lines.push('Milliseconds per document: median (min–max) over the interleaved iterations. Ratio = Chromium median ÷ Cahier median.');
  lines.push('');
  lines.push('| case | requirements (lots) | pages Cahier / Chromium | KB Cahier / Chromium | Cahier wall | Chromium wall | wall ratio | Cahier CPU | Chromium CPU | CPU ratio |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.requirements} (${r.lots}) | ${r.cahierPages} / ${r.chromiumPages} | ${kb(r.cahierBytes)} / ${kb(r.chromiumBytes)} | ` +
        `${spread(r.cahier.wall)} | ${spread(r.chromium.wall)} | **${ratio(r, 'wall')}** | ${spread(r.cahier.cpu)} | ${spread(r.chromium.cpu)} | **${ratio(r, 'cpu')}** |`,
    );
  }
  lines.push('');
  for (const r of results) lines.push(`- ${r.name}: ${r.what}; ${WARMUP} warm-up + ${r.runs} counted iterations.`);
  lines.push('');
  lines.push('## Targets (issue #19)');
  lines.push('');
  lines.push('| target | measured | |');
  lines.push('| --- | --- | :---: |');
  lines.push(
    `| unseen medium ≥ ${TARGETS.mediumUnseen}× warm Chromium, wall (CPU reported) | buyer’s texts: ${ratio(unseen, 'wall')} wall, ${ratio(unseen, 'cpu')} CPU; every word: ${ratio(unseenWords, 'wall')} wall, ${ratio(unseenWords, 'cpu')} CPU | ${check(Math.min(ratioOf(unseen, 'wall'), ratioOf(unseenWords, 'wall')) >= TARGETS.mediumUnseen)} |`,
  );
  lines.push(`| large ≥ ${TARGETS.large}× warm Chromium, wall | ${ratio(large, 'wall')} (CPU ${ratio(large, 'cpu')}) | ${check(ratioOf(large, 'wall') >= TARGETS.large)} |`);
  lines.push(`| large < ${TARGETS.largeMs} ms (Cahier wall median) | ${ms(large.cahier.wall.median)} ms | ${check(large.cahier.wall.median < TARGETS.largeMs)} |`);
  lines.push('');
  lines.push(
    `Peak memory, large tender generated once in a fresh \`node --import tsx\` process (${memory.length} processes): maxRSS ${maxRss.min.toFixed(0)}–${maxRss.max.toFixed(0)} MB ` +
      `(of which ${baseline.median.toFixed(0)} MB resident once Node, tsx and the modules are loaded), heap used after generation ${heap.median.toFixed(0)} MB; ` +
      `that first generation takes ${ms(childCold.median)} ms (median).`,
  );
  lines.push('');
  lines.push(
    `Cold first generation in the benchmark process (medium tender): catalogue load ${ms(o.depsMs)} ms, then the first generation ${ms(o.coldMs)} ms ` +
      '(font parsing, template compilation, JIT).',
  );
  lines.push('');
  lines.push('## How it is measured');
  lines.push('');
  lines.push(
    'Each iteration runs both engines on the same document, Cahier first on even iterations and Chromium first on odd ones; ' +
      `${WARMUP} warm-up iterations (both engines) are not counted. Cahier’s time is \`generateDocuments\` (validation, catalogue resolution, rules, templates and markup, PDF layout) ` +
      'or, in the every-word case, `renderPdf(model)`; Chromium’s is `renderHtml(model)` + `page.setContent(html, { waitUntil: "load" })` + `page.pdf()` with the browser and its page ' +
      'launched once and reused (Chromium’s best case: no start-up). CPU is user + system time: Cahier’s `process.cpuUsage()`; Chromium’s is the Node side plus every Chromium process ' +
      'read from /proc (10 ms ticks, so single samples are coarse). Chromium uses the five DejaVu faces the PDF embeds (fontconfig pinned to them, see bench/chromium.ts) and prints one footer, ' +
      'the CSS page-margin boxes of bench/render-html.ts. Unseen content is rewritten word by word with pseudo-words of the same length and case, new at each iteration (bench/unseen.ts). ' +
      '`npm run bench:check` reruns the cases with fewer iterations and compares the wall ratios with bench/results.json (tolerance 25 % by default, `-- --tolerance 0.3`).',
  );
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const loadAtStart = os.loadavg()[0]!;
  let t = performance.now();
  const deps = await realDeps();
  const depsMs = performance.now() - t;
  t = performance.now();
  await generateFrom(REQUESTS.medium(), deps, ['pdf']);
  const coldMs = performance.now() - t;
  log(`cold: deps ${ms(depsMs)} ms, first generation (medium) ${ms(coldMs)} ms; load ${loadAtStart.toFixed(1)}`);

  browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS, env: pinnedFontEnvironment() });
  const page = await browser.newPage();
  const machine: Machine = {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    chromium: browser.version(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    load: [loadAtStart, 0],
  };
  const results: CaseResult[] = [];
  for (const c of cases(deps)) results.push(await runCase(c, page));
  await cleanup();

  if (CHECK) {
    machine.load[1] = os.loadavg()[0]!;
    process.exitCode = await compare(results, machine);
    return;
  }
  const memory = await benchMemory();
  machine.load[1] = os.loadavg()[0]!;
  const head = revision(ROOT);
  const markdown = report({ date, commit: head, machine, depsMs, coldMs, results, memory, totalS: (performance.now() - startedAt) / 1000 });
  await writeFile(OUTPUT, `${markdown}\n${await previousNotes()}`);
  const recorded: Recorded = { commit: head, date, ratios: Object.fromEntries(results.map((r) => [r.name, { wall: round(ratioOf(r, 'wall')), cpu: round(ratioOf(r, 'cpu')) }])) };
  await writeFile(RESULTS, `${JSON.stringify(recorded, null, 2)}\n`);
  process.stdout.write(`${markdown}\n`);
  log(`wrote ${OUTPUT} and ${RESULTS}`);
}

const round = (x: number): number => Math.round(x * 100) / 100;

async function compare(results: CaseResult[], machine: Machine): Promise<number> {
  const recorded = JSON.parse(await readFile(RESULTS, 'utf8')) as Recorded;
  let failed = 0;
  const lines = [
    `bench:check against bench/results.json (commit ${recorded.commit}, ${recorded.date}); tolerance ${(TOLERANCE * 100).toFixed(0)} %; load ${machine.load[0].toFixed(1)} → ${machine.load[1].toFixed(1)}`,
    '',
    '| case | recorded wall ratio | now wall ratio | now CPU ratio | |',
    '| --- | ---: | ---: | ---: | :---: |',
  ];
  for (const r of results) {
    const before = recorded.ratios[r.name];
    const now = ratioOf(r, 'wall');
    const ok = before === undefined || now >= before.wall * (1 - TOLERANCE);
    if (!ok) failed++;
    lines.push(`| ${r.name} | ${before ? `${before.wall.toFixed(1)}×` : '—'} | ${now.toFixed(1)}× | ${ratio(r, 'cpu')} | ${before ? check(ok) : 'new'} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (failed > 0) log(`${failed} case(s) regressed beyond the tolerance`);
  return failed > 0 ? 1 : 0;
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  // After Ctrl-C the pending Chromium call fails because the browser is closing: not news.
  if (!interrupted) log(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await cleanup();
}
