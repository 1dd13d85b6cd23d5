/**
 * `npm run bench:formats [-- --runs 15] [--warmup 3] [--write]`: generation time of each output
 * format for the medium tender (the commune's classe mobile, examples/commune-rurale-classe-mobile.json),
 * the formats interleaved run by run (each iteration runs every case once, the order rotated from
 * one iteration to the next), wall and CPU time (process.cpuUsage) of each run, after warm-up runs.
 *
 * The headline is issue #19's « DOCX no slower than the PDF for the same tender »: the CCTP as PDF
 * and as DOCX from the same document model, on the same content (seen: one model every run) and on
 * content no cache has seen (unseen: the model's words rewritten per iteration, bench/unseen.ts,
 * the same rewritten model for both formats). First runs in this fresh process (module loading and
 * JIT included) are reported apart. `--write` rewrites the « Formats: DOCX against PDF » section of
 * BENCHMARKS.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { buildCctpDocument } from '#src/core/documents/cctp-document.ts';
import { buildRcDocument } from '#src/core/documents/rc-document.ts';
import { renderOcdsJson } from '#src/adapters/render/ocds/ocds.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { renderComplianceMatrix } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { evaluateFrom, example, generateFrom, realDeps } from '../test/support/pipeline.ts';
import { loadAverages, machine } from './machine.ts';
import { revision } from './revision.ts';
import { replaceSection } from './sections.ts';
import { summarise, type Summary } from './stats.ts';
import { unseenModel } from './unseen.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUTPUT = path.join(ROOT, 'BENCHMARKS.md');
const SECTION = '## Formats: DOCX against PDF';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
if (!(runs >= 1) || !(warmup >= 0)) throw new Error('--runs must be ≥ 1 and --warmup ≥ 0');

const started = new Date();
const t0 = performance.now();
const loadStart = loadavg();
const deps = await realDeps();
const input = example('commune');
const { tender, rules } = await evaluateFrom(input, deps.catalogue);
const model = buildCctpDocument(tender, rules, deps.templates);

type Output = Uint8Array | { documents: Array<{ content: Uint8Array }> };
interface Case {
  name: string;
  /** `unseen` is this iteration's rewritten CCTP model, shared by the cases that use it. */
  run: (unseen: DocumentModel) => Promise<Output>;
}

const cases: Case[] = [
  { name: 'pdf (cctp.pdf)', run: () => renderPdf(model) },
  { name: 'docx (cctp.docx)', run: () => renderDocx(model) },
  { name: 'pdf (cctp.pdf), unseen words', run: (unseen) => renderPdf(unseen) },
  { name: 'docx (cctp.docx), unseen words', run: (unseen) => renderDocx(unseen) },
  { name: 'rc (rc.pdf, model + PDF)', run: () => renderPdf(buildRcDocument(tender, rules, deps.templates)) },
  { name: 'xlsx (cadre-de-reponse.xlsx)', run: () => renderComplianceMatrix(tender) },
  { name: 'xlsx (bordereau-des-prix.xlsx)', run: () => renderPriceSchedule(tender) },
  { name: 'json (tender.ocds.json)', run: async () => renderOcdsJson(tender) },
  { name: 'generateCctp, default (pdf)', run: () => generateFrom(input, deps) },
  { name: 'generateCctp, all formats', run: () => generateFrom(input, deps, ['pdf', 'rc', 'docx', 'xlsx', 'json']) },
];

const bytes = (out: Output) => (out instanceof Uint8Array ? out.byteLength : out.documents.reduce((n, d) => n + d.content.byteLength, 0));

interface Timing {
  first: { wall: number; cpu: number };
  wall: number[];
  cpu: number[];
  bytes: number;
}
const timings = new Map<string, Timing>();

async function timed(c: Case, unseen: DocumentModel): Promise<{ wall: number; cpu: number; out: Output }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = await c.run(unseen);
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, out };
}

// Iteration 0: first runs (cold); then warm-up iterations; then counted ones. Each iteration
// rotates the order, so no case always runs first (after a collection) or after the same neighbour.
for (let i = 0; i <= warmup + runs; i++) {
  const unseen = unseenModel(model, i + 1);
  for (let k = 0; k < cases.length; k++) {
    const c = cases[(k + i) % cases.length]!;
    const { wall, cpu, out } = await timed(c, unseen);
    if (i === 0) timings.set(c.name, { first: { wall, cpu }, wall: [], cpu: [], bytes: bytes(out) });
    else if (i > warmup) {
      const t = timings.get(c.name)!;
      t.wall.push(wall);
      t.cpu.push(cpu);
    }
  }
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const spread = (s: Summary) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
const summaries = cases.map((c) => {
  const t = timings.get(c.name)!;
  return { name: c.name, t, wall: summarise(t.wall), cpu: summarise(t.cpu) };
});
const byName = (name: string) => summaries.find((s) => s.name === name)!;
const pairs = [
  { label: 'same model every run', pdf: byName('pdf (cctp.pdf)'), docx: byName('docx (cctp.docx)') },
  { label: 'unseen words, a new model each iteration', pdf: byName('pdf (cctp.pdf), unseen words'), docx: byName('docx (cctp.docx), unseen words') },
];
const loadEnd = loadavg();
const requirements = tender.lots.reduce((n, l) => n + l.requirements.length, 0);

// Console: the whole table, then the ratios.
const header = ['format', 'first wall ms', 'first CPU ms', 'wall ms median (min–max)', 'CPU ms median (min–max)', 'KiB'];
const rows = summaries.map((s) => [s.name, fmt(s.t.first.wall), fmt(s.t.first.cpu), spread(s.wall), spread(s.cpu), (s.t.bytes / 1024).toFixed(1)]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
console.log(`medium tender (${requirements} requirements), ${runs} interleaved iterations after ${warmup} warm-up, Node ${process.version}, load ${loadStart[0]!.toFixed(1)} → ${loadEnd[0]!.toFixed(1)}`);
console.log(line(header));
for (const row of rows) console.log(line(row));
for (const p of pairs) {
  console.log(`DOCX ÷ PDF, ${p.label}: wall ${(p.docx.wall.median / p.pdf.wall.median).toFixed(2)}×, CPU ${(p.docx.cpu.median / p.pdf.cpu.median).toFixed(2)}×`);
}

if (values.write) {
  const text = [
    SECTION,
    '',
    `Generated by \`npm run bench:formats -- --runs ${runs} --warmup ${warmup} --write\` (bench/formats.ts), which rewrites this section only. ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC; commit ${revision(ROOT)}; ${machine()}; Node ${process.version}; 1-, 5- and 15-minute load average ${loadAverages(loadStart)} at the start, ${loadAverages(loadEnd)} at the end; whole run ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
    '',
    `The medium tender (\`examples/commune-rurale-classe-mobile.json\`, ${requirements} requirements), one process: every case runs once per iteration, the order rotated from one iteration to the next; ${warmup} warm-up iterations, then ${runs} counted. Wall and CPU (\`process.cpuUsage\`, the thread pool’s deflate included) per run, median (min–max). The CCTP as PDF and as DOCX render the same document model; « unseen words » rewrites every word of that model for each iteration (bench/unseen.ts), the same rewritten model for both formats. « first » is the first run of each case in the fresh process (module loading and JIT included; the PDF ran first).`,
    '',
    '| CCTP | PDF wall ms | DOCX wall ms | DOCX ÷ PDF wall | PDF CPU ms | DOCX CPU ms | DOCX ÷ PDF CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...pairs.map(
      (p) =>
        `| ${p.label} | ${spread(p.pdf.wall)} | ${spread(p.docx.wall)} | **${(p.docx.wall.median / p.pdf.wall.median).toFixed(2)}×** | ${spread(p.pdf.cpu)} | ${spread(p.docx.cpu)} | **${(p.docx.cpu.median / p.pdf.cpu.median).toFixed(2)}×** |`,
    ),
    '',
    'Every case of the same run:',
    '',
    '| case | first wall ms | first CPU ms | wall ms | CPU ms | KiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...summaries.map((s) => `| ${s.name} | ${fmt(s.t.first.wall)} | ${fmt(s.t.first.cpu)} | ${spread(s.wall)} | ${spread(s.cpu)} | ${(s.t.bytes / 1024).toFixed(1)} |`),
    '',
  ].join('\n');
  writeFileSync(OUTPUT, replaceSection(readFileSync(OUTPUT, 'utf8'), SECTION, text, '## HTTP API under load'));
}
