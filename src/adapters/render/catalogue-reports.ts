import { Writable } from 'node:stream';
import { REPORT_JSON } from '#src/core/products/catalogue-report.ts';
import { CSV_BOM, csvLine, FIXED_COLUMNS, tableRow } from '#src/core/products/report-table.ts';
import { catalogueSummaryDocument } from '#src/core/products/summary-document.ts';
import type { StoredReportFormat } from '#src/core/model/stored-catalogue.ts';
import type { CheckedCatalogue } from '#src/app/stored-catalogues.ts';
import { renderPdf } from './pdf-engine.ts';
import { writeCatalogueReportXlsx } from './xlsx/catalogue-report.ts';

/**
 * The four reports of a checked catalogue in memory, with the renderers `cahier conformity`
 * streams to files: the JSON in the same layout, the CSV one row per product, the coloured
 * workbook and the PDF summary. For the API, whose product files are bounded (256 KiB), so the
 * reports of one upload fit in memory. Deterministic: the bytes depend on the entries and `generatedAt`.
 */
export async function renderCatalogueReports(checked: CheckedCatalogue, generatedAt: string): Promise<Record<StoredReportFormat, Uint8Array>> {
  const { summary, columns, entries } = checked;
  const json = [REPORT_JSON.head(summary), ...entries.map((e, i) => REPORT_JSON.entry(JSON.stringify(e), i === 0)), REPORT_JSON.tail(entries.length)].join('');
  const ids = columns.map((c) => c.id);
  const csv = [`${CSV_BOM}${csvLine([...FIXED_COLUMNS, ...ids])}\r\n`, ...entries.map((e) => `${csvLine(tableRow(e, ids).cells)}\r\n`)].join('');
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeCatalogueReportXlsx(sink, { summary, columns, entries: iterate(entries) }, generatedAt);
  const pdf = await renderPdf(catalogueSummaryDocument(summary, generatedAt));
  const encoder = new TextEncoder();
  return { json: encoder.encode(json), csv: encoder.encode(csv), xlsx: new Uint8Array(Buffer.concat(chunks)), pdf: new Uint8Array(pdf) };
}

async function* iterate<T>(values: readonly T[]): AsyncGenerator<T> {
  yield* values;
}
