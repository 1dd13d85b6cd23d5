/**
 * Generation time of each output format for the medium tender (the commune's classe mobile,
 * examples/commune-rurale-classe-mobile.json): first run in a fresh process (module loading and
 * JIT included), then the median and spread of warm runs.
 *
 *   npx tsx bench/formats.ts [--runs 15] [--warmup 3]
 */
import { parseArgs } from 'node:util';
import { buildCctpDocument } from '#src/core/documents/cctp-document.ts';
import { buildRcDocument } from '#src/core/documents/rc-document.ts';
import { renderOcdsJson } from '#src/adapters/render/ocds/ocds.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { renderComplianceMatrix } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { evaluateFrom, example, generateFrom, realDeps } from '../test/support/pipeline.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const warmup = Number(values.warmup);

const deps = await realDeps();
const input = example('commune');
const { tender, rules } = await evaluateFrom(input, deps.catalogue);
const model = buildCctpDocument(tender, rules, deps.templates);

interface Case {
  name: string;
  run: () => Promise<Uint8Array | { documents: Array<{ content: Uint8Array }> }>;
}

const cases: Case[] = [
  { name: 'pdf (cctp.pdf)', run: () => renderPdf(model) },
  { name: 'rc (rc.pdf, model + PDF)', run: () => renderPdf(buildRcDocument(tender, rules, deps.templates)) },
  { name: 'docx (cctp.docx)', run: () => renderDocx(model) },
  { name: 'xlsx (cadre-de-reponse.xlsx)', run: () => renderComplianceMatrix(tender) },
  { name: 'xlsx (bordereau-des-prix.xlsx)', run: () => renderPriceSchedule(tender) },
  { name: 'json (tender.ocds.json)', run: async () => renderOcdsJson(tender) },
  { name: 'generateCctp, default (pdf)', run: () => generateFrom(input, deps) },
  { name: 'generateCctp, all formats', run: () => generateFrom(input, deps, ['pdf', 'rc', 'docx', 'xlsx', 'json']) },
];

const bytes = (out: Awaited<ReturnType<Case['run']>>) =>
  out instanceof Uint8Array ? out.byteLength : out.documents.reduce((n, d) => n + d.content.byteLength, 0);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const rows: string[][] = [];
for (const c of cases) {
  let start = performance.now();
  const first = await c.run();
  const firstMs = performance.now() - start;
  for (let i = 0; i < warmup; i++) await c.run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    start = performance.now();
    await c.run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  rows.push([
    c.name,
    firstMs.toFixed(0),
    quantile(times, 0.5).toFixed(1),
    times[0]!.toFixed(1),
    quantile(times, 0.9).toFixed(1),
    (bytes(first) / 1024).toFixed(1),
  ]);
}

const header = ['format', 'first ms', 'median ms', 'min ms', 'p90 ms', 'KiB'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
console.log(`medium tender (${tender.lots.reduce((n, l) => n + l.requirements.length, 0)} requirements), ${runs} warm runs after ${warmup} warm-up, Node ${process.version}`);
console.log(line(header));
for (const row of rows) console.log(line(row));
