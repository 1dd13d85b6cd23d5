/**
 * `npm run bench`: how fast Cahier turns a tender request into a CCTP PDF, against headless
 * Chromium printing the same document, for three request sizes; and the peak memory of a large
 * generation in a fresh process. Prints a Markdown report and writes it to BENCHMARKS.md.
 *
 * A benchmark, not a test: it fails only if a request does not generate. Both engines print the
 * same DocumentModel (Cahier's PDFKit renderer, and renderHtml → Chromium's print to PDF), warm:
 * fonts parsed, templates compiled, browser and page launched once and reused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { getDocumentProxy } from 'unpdf';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { buildCctpDocument } from '#src/core/documents/cctp-document.ts';
import { renderHtml } from './render-html.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { evaluateFrom, generateFrom, realDeps } from '../test/support/pipeline.ts';
import type { ChildResult } from './child-large.ts';
import { REQUESTS, type BenchSize } from './requests.ts';
import { kb, mb, measure, ms, summarise, type Summary } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./child-large.ts', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

const WARMUP = 3;
const RUNS: Readonly<Record<BenchSize, number>> = { small: 25, medium: 25, large: 11 };
const MEMORY_RUNS = 3;

/** Everything in BENCHMARKS.md from this line on is written by hand and kept across runs. */
const NOTES_MARKER = '<!-- Hand-written notes: npm run bench keeps everything below this line. -->';

const TARGETS = {
  mediumSpeedup: 3,
  mediumSpeedupAim: 5,
  largeMs: 1000,
  largePeakMb: 256,
} as const;

const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Same page geometry as the PDFKit renderer (src/adapters/render/pdf/theme.ts: 62/68/57 pt). */
const PDF_OPTIONS = {
  format: 'A4',
  printBackground: true,
  displayHeaderFooter: true,
  headerTemplate: '<div></div>',
  footerTemplate:
    '<div style="font-size:8px;width:100%;text-align:right;padding-right:1cm"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
  margin: { top: '21.9mm', bottom: '24mm', left: '20.1mm', right: '20.1mm' },
} as const;

interface SizeResult {
  size: BenchSize;
  requirements: number;
  lots: number;
  pipeline: Summary;
  evaluate: Summary;
  build: Summary;
  render: Summary;
  html: Summary;
  chromium: Summary;
  setContent: Summary;
  print: Summary;
  cahierBytes: number;
  chromiumBytes: number;
  cahierPages: number;
  chromiumPages: number;
}

interface MemoryResult {
  runs: ChildResult[];
}

interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  chromium: string;
  platform: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews timings. */
  load: [number, number];
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

async function pageCount(pdf: Uint8Array): Promise<number> {
  // pdf.js may transfer the buffer it is given: hand it a copy.
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  try {
    return proxy.numPages;
  } finally {
    await proxy.destroy();
  }
}

async function requirementCount(request: unknown, deps: GenerateDocumentsDeps): Promise<{ requirements: number; lots: number }> {
  const { tender, rules } = await evaluateFrom(request, deps.catalogue);
  if (rules.blocking) {
    const errors = rules.findings.filter((f) => f.severity === 'error').map((f) => f.code);
    throw new Error(`bench request is blocked by the rules: ${errors.join(', ')}`);
  }
  return { requirements: tender.lots.reduce((n, lot) => n + lot.requirements.length, 0), lots: tender.lots.length };
}

/** Per-run split of Chromium's time, filled by printWithChromium. */
interface ChromiumSplit {
  setContent: number[];
  pdf: number[];
}

async function printWithChromium(page: Page, model: DocumentModel, split?: ChromiumSplit): Promise<Buffer> {
  const html = renderHtml(model);
  const t0 = performance.now();
  await page.setContent(html, { waitUntil: 'load' });
  const t1 = performance.now();
  const pdf = await page.pdf(PDF_OPTIONS);
  split?.setContent.push(t1 - t0);
  split?.pdf.push(performance.now() - t1);
  return pdf;
}

async function benchSize(size: BenchSize, deps: GenerateDocumentsDeps, page: Page): Promise<SizeResult> {
  const request = REQUESTS[size]();
  const { requirements, lots } = await requirementCount(request, deps);
  const runs = RUNS[size];
  log(`${size}: ${requirements} requirements in ${lots} lot(s); ${WARMUP} warm-up + ${runs} runs each`);

  const pipeline = await measure(() => generateFrom(request, deps), WARMUP, runs);
  const cahierPdf = pipeline.last.documents[0]!.content;
  log(`  Cahier pipeline   median ${ms(pipeline.summary.median)} ms`);

  // The pipeline's phases, to show where the time goes.
  const evaluate = await measure(() => evaluateFrom(request, deps.catalogue), WARMUP, runs);
  const { tender, rules } = evaluate.last;
  const build = await measure(async () => buildCctpDocument(tender, rules, deps.templates), WARMUP, runs);
  const model = build.last;
  const render = await measure(() => renderPdf(model), WARMUP, runs);
  log(`  Cahier phases     validate+resolve+rules ${ms(evaluate.summary.median)} ms, templates+markup ${ms(build.summary.median)} ms, render ${ms(render.summary.median)} ms`);

  const html = await measure(async () => renderHtml(model), WARMUP, runs);
  for (let i = 0; i < WARMUP; i++) await printWithChromium(page, model);
  const split: ChromiumSplit = { setContent: [], pdf: [] };
  const chromiumRun = await measure(() => printWithChromium(page, model, split), 0, runs);
  log(
    `  Chromium          median ${ms(chromiumRun.summary.median)} ms (renderHtml ${ms(html.summary.median)} ms, ` +
      `setContent ${ms(summarise(split.setContent).median)} ms, pdf ${ms(summarise(split.pdf).median)} ms)`,
  );

  return {
    size,
    requirements,
    lots,
    pipeline: pipeline.summary,
    evaluate: evaluate.summary,
    build: build.summary,
    render: render.summary,
    html: html.summary,
    chromium: chromiumRun.summary,
    setContent: summarise(split.setContent),
    print: summarise(split.pdf),
    cahierBytes: cahierPdf.byteLength,
    chromiumBytes: chromiumRun.last.byteLength,
    cahierPages: await pageCount(cahierPdf),
    chromiumPages: await pageCount(chromiumRun.last),
  };
}

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

async function benchMemory(): Promise<MemoryResult> {
  const runs: ChildResult[] = [];
  for (let i = 0; i < MEMORY_RUNS; i++) {
    const result = await runChild();
    log(`large in a fresh process #${i + 1}: maxRSS ${mb(result.maxRssBytes)} MB, heap after ${mb(result.heapUsedAfterBytes)} MB, cold ${ms(result.coldMs)} ms`);
    runs.push(result);
  }
  return { runs };
}

/** The hand-written notes of the current BENCHMARKS.md (marker included), or an empty notes section. */
async function previousNotes(): Promise<string> {
  const current = await readFile(OUTPUT, 'utf8').catch(() => '');
  const at = current.indexOf(NOTES_MARKER);
  return at >= 0 ? current.slice(at) : `${NOTES_MARKER}\n`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const check = (ok: boolean): string => (ok ? '✓' : '✗');
const ratio = (chromiumMs: number, cahierMs: number): string => `${(chromiumMs / cahierMs).toFixed(1)}×`;

function report(options: {
  date: string;
  machine: Machine;
  depsMs: number;
  coldMs: number;
  sizes: SizeResult[];
  memory: MemoryResult;
  totalS: number;
}): string {
  const { date, machine, depsMs, coldMs, sizes, memory, totalS } = options;
  const by = Object.fromEntries(sizes.map((s) => [s.size, s])) as Record<BenchSize, SizeResult>;
  const medium = by.medium;
  const large = by.large;
  const speedup = medium.chromium.median / medium.pipeline.median;
  const peak = Math.max(...memory.runs.map((r) => r.maxRssBytes));
  const peakMb = peak / (1024 * 1024);
  const maxRss = summarise(memory.runs.map((r) => r.maxRssBytes / (1024 * 1024)));
  const heap = summarise(memory.runs.map((r) => r.heapUsedAfterBytes / (1024 * 1024)));
  const baseline = summarise(memory.runs.map((r) => r.baselineRssBytes / (1024 * 1024)));
  const childCold = summarise(memory.runs.map((r) => r.coldMs));

  const lines: string[] = [];
  lines.push('# Benchmarks');
  lines.push('');
  lines.push('Generated by `npm run bench` (bench/run.ts); rerun it to refresh this file, which it overwrites.');
  lines.push('');
  lines.push(`- Date: ${date}`);
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, ${machine.platform}`);
  lines.push(`- Node ${machine.node}; Chromium ${machine.chromium} (headless, playwright-core, /usr/bin/chromium)`);
  lines.push(`- Whole run: ${totalS.toFixed(0)} s; 1-minute load average ${machine.load[0].toFixed(1)} at the start, ${machine.load[1].toFixed(1)} at the end (other work on the machine skews the timings)`);
  lines.push('');
  lines.push('## Summary');
  lines.push('');
  lines.push('Warm medians in milliseconds. Speed-up = Chromium ÷ Cahier whole pipeline (request → PDF bytes).');
  lines.push('');
  lines.push('| size | requirements (lots) | pages Cahier / Chromium | size KB Cahier / Chromium | Cahier pipeline ms | Cahier render only ms | Chromium ms | speed-up |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of sizes) {
    lines.push(
      `| ${s.size} | ${s.requirements} (${s.lots}) | ${s.cahierPages} / ${s.chromiumPages} | ${kb(s.cahierBytes)} / ${kb(s.chromiumBytes)} | ` +
        `${ms(s.pipeline.median)} | ${ms(s.render.median)} | ${ms(s.chromium.median)} | **${ratio(s.chromium.median, s.pipeline.median)}** |`,
    );
  }
  lines.push('');
  lines.push(
    `Peak memory, large tender generated once in a fresh process (${memory.runs.length} processes): maxRSS ${maxRss.min.toFixed(0)}–${maxRss.max.toFixed(0)} MB ` +
      `(of which ${baseline.median.toFixed(0)} MB resident once Node, tsx and the modules are loaded), heap used after generation ${heap.median.toFixed(0)} MB; ` +
      `that first generation takes ${ms(childCold.median)} ms (median) in the fresh process.`,
  );
  lines.push('');
  lines.push(
    `Cold first generation in the benchmark process (medium tender): building the deps (catalogue load) ${ms(depsMs)} ms, ` +
      `then the first \`generateCctp\` call ${ms(coldMs)} ms, including font parsing and template compilation — against a warm median of ${ms(medium.pipeline.median)} ms.`,
  );
  lines.push('');
  lines.push('## Targets');
  lines.push('');
  lines.push('| target | measured | |');
  lines.push('| --- | --- | :---: |');
  lines.push(
    `| medium ≥ ${TARGETS.mediumSpeedup}× faster than warm Chromium (aim ${TARGETS.mediumSpeedupAim}×) | ${speedup.toFixed(1)}× | ${check(speedup >= TARGETS.mediumSpeedup)}${speedup >= TARGETS.mediumSpeedupAim ? ' (aim ✓)' : ' (aim ✗)'} |`,
  );
  lines.push(`| large < ${TARGETS.largeMs} ms (warm pipeline median) | ${ms(large.pipeline.median)} ms (p90 ${ms(large.pipeline.p90)} ms) | ${check(large.pipeline.median < TARGETS.largeMs)} |`);
  lines.push(`| large < ${TARGETS.largePeakMb} MB peak (maxRSS of a fresh process) | ${peakMb.toFixed(0)} MB | ${check(peakMb < TARGETS.largePeakMb)} |`);
  lines.push('');
  lines.push('## Detail');
  for (const s of sizes) {
    lines.push('');
    lines.push(`### ${s.size} — ${s.requirements} requirements, ${s.lots} lot(s), ${s.pipeline.runs} measured runs after ${WARMUP} warm-up runs`);
    lines.push('');
    lines.push('| measurement | median ms | p90 ms | min ms | max ms |');
    lines.push('| --- | ---: | ---: | ---: | ---: |');
    const row = (name: string, x: Summary) => `| ${name} | ${ms(x.median)} | ${ms(x.p90)} | ${ms(x.min)} | ${ms(x.max)} |`;
    lines.push(row('Cahier pipeline (`generateCctp`: validate, resolve, rules, templates, PDF)', s.pipeline));
    lines.push(row('↳ phase: validate, resolve, rules (`evaluateTender`)', s.evaluate));
    lines.push(row('↳ phase: templates and markup → model (`buildCctpDocument`)', s.build));
    lines.push(row('↳ phase: render only (`renderPdf(model)`)', s.render));
    lines.push(row('Chromium (`renderHtml` + `setContent` + `page.pdf`)', s.chromium));
    lines.push(row('↳ `renderHtml(model)` alone', s.html));
    lines.push(row('↳ `page.setContent(html, { waitUntil: "load" })`', s.setContent));
    lines.push(row('↳ `page.pdf(…)`', s.print));
    lines.push('');
    lines.push(
      `Output: Cahier ${s.cahierPages} pages, ${kb(s.cahierBytes)} KB; Chromium ${s.chromiumPages} pages, ${kb(s.chromiumBytes)} KB. ` +
        `Speed-up: ${ratio(s.chromium.median, s.pipeline.median)} against the whole pipeline, ${ratio(s.chromium.median, s.render.median)} against the render alone.`,
    );
  }
  lines.push('');
  lines.push('## How it is measured');
  lines.push('');
  lines.push(
    `Each measurement runs ${WARMUP} times untimed, then ${RUNS.small} times (small, medium) or ${RUNS.large} times (large) back to back, timed with \`performance.now()\`; ` +
      'the tables give the median, with p90, min and max in the detail. ' +
      'Both engines print the same `DocumentModel` (the one `generateCctp` returns), so pages and sizes compare the same content; the Cahier pipeline covers request → PDF bytes ' +
      '(validation, catalogue resolution, rules, templates and markup, PDF layout, report hashing) and “render only” isolates `renderPdf(model)`. ' +
      'Chromium’s time covers `renderHtml(model)`, `page.setContent(html, { waitUntil: "load" })` (parse, style, layout) and `page.pdf()` (print layout, footers, PDF serialisation and transfer over the DevTools protocol), ' +
      'with the browser and its page launched once and reused: no browser start-up, Chromium’s best case. ' +
      'Peak memory is `process.resourceUsage().maxRSS` of a fresh `node --import tsx bench/child-large.ts` process that generates the large tender once, so it includes Node itself, the tsx loader and the loaded modules. ' +
      'The machine may be shared: the load averages above say how busy it was, and the ratios move less than the absolute times.',
  );
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const date = new Date().toISOString().slice(0, 10);
  const loadAtStart = os.loadavg()[0]!;

  // Cold: the first generation of this process pays for the catalogue load, the template
  // compilation and the font parsing.
  let t = performance.now();
  const deps = await realDeps();
  const depsMs = performance.now() - t;
  t = performance.now();
  await generateFrom(REQUESTS.medium(), deps);
  const coldMs = performance.now() - t;
  log(`cold: deps ${ms(depsMs)} ms, first generateCctp (medium) ${ms(coldMs)} ms`);

  browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
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
  log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, Chromium ${machine.chromium}`);

  const sizes: SizeResult[] = [];
  for (const size of ['small', 'medium', 'large'] as const) sizes.push(await benchSize(size, deps, page));
  await cleanup();

  const memory = await benchMemory();
  machine.load[1] = os.loadavg()[0]!;
  const markdown = report({ date, machine, depsMs, coldMs, sizes, memory, totalS: (performance.now() - startedAt) / 1000 });
  await writeFile(OUTPUT, `${markdown}\n${await previousNotes()}`);
  process.stdout.write(`${markdown}\n`);
  log(`wrote ${OUTPUT}`);
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
