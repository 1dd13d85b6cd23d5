/**
 * The catalogue report's PDF summary (issue #18): read back as text with poppler's pdftotext, it
 * holds the same shares as the JSON report, overall, per category and per supplier, in French
 * typography; each category's bar is drawn as an artifact under a caption that tags its figures
 * as text; the same summary and date give the same bytes. Skipped with one line without poppler
 * (test/support/poppler.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { formatInteger, formatPercent } from '#src/core/model/format.ts';
import type { ReportSummary } from '#src/core/products/catalogue-report.ts';
import { catalogueSummaryDocument } from '#src/core/products/summary-document.ts';
import { runCli } from '#src/entry/cli.ts';
import { fold, parseStructText, poppler, popplerAvailable, type StructNode } from '../support/poppler.ts';

const run = promisify(execFile);
const available = popplerAvailable();
/** The PDF's text as pdftotext reads it (a no-break space comes back as a space), and its lines. */
async function readBack(path: string): Promise<{ text: string; lines: string[] }> {
  const raw = (await run('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })).stdout;
  return { text: fold(raw), lines: raw.split('\n') };
}

describe.skipIf(!available)('conformity.pdf', () => {
  it('gives the JSON report’s shares overall, per category and per supplier, each category’s bar with its figures as tagged text', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-pdf-'));
    // Act
    const code = await runCli(['conformity', 'examples/catalogue/catalogue-centrale.csv', '--framework', 'carmo-education@2', '--out', dir], { stdout: () => {}, stderr: () => {} });
    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'conformity.json'), 'utf8')) as ReportSummary;
    const pdf = join(dir, 'conformity.pdf');
    const { text: body, lines } = await readBack(pdf);
    // No line starts with what a no-break space keeps with the word before it.
    expect(lines.filter((l) => /^\s*(?:%|;|:|»)/u.test(l))).toEqual([]);
    const t = report.totals;
    expect(body).toContain(fold(`${formatInteger(t.conform)} sont conformes (${formatPercent(t.shareConform)})`));
    expect(formatPercent(t.shareConform)).toBe('57,2\u00a0%');
    expect(body).toContain('Ensemble du catalogue : 183 conformes sur 320 (57,2 %) ; 78 non conformes ; 59 non déclarés ; 0 justificatif attendu.');
    for (const group of report.byItem) {
      expect(body).toContain(fold(`${group.label.replace(/'/g, '’')}\u00a0: ${formatInteger(group.conform)}\u00a0conformes sur ${formatInteger(group.total)} (${formatPercent(group.shareConform)})`));
    }
    for (const supplier of report.bySupplier) expect(body).toMatch(new RegExp(`${supplier.supplier.replace(/[.*+?^${}()|[\]\\&]/g, '\\$&').replace(/'/g, '’')} ${supplier.total} ${supplier.conform} .*?${fold(formatPercent(supplier.shareConform))}`));
    // Each caption is a paragraph of the structure tree; the bars, drawn as artifacts, add no text to it.
    const tree = parseStructText(await poppler('pdfinfo', ['-struct-text', pdf]));
    const paragraphs: string[] = [];
    const visit = (n: StructNode): void => {
      if (n.type === 'P') paragraphs.push(n.text);
      n.children.forEach(visit);
    };
    tree.forEach(visit);
    const tablet = report.byItem.find((g) => g.item === 'tablet')!;
    expect(paragraphs).toContain(fold(`${tablet.label}\u00a0: ${tablet.conform}\u00a0conformes sur ${tablet.total} (${formatPercent(tablet.shareConform)})\u00a0; ${tablet['not-conform']}\u00a0non conformes\u00a0; ${tablet.undeclared}\u00a0non déclarés\u00a0; 0\u00a0justificatif attendu.`));
    expect(await poppler('pdfinfo', [pdf])).toMatch(/Tagged: +yes/);
  });

  it('is the same bytes for the same summary and date, and its size follows the categories and suppliers, not the products', async () => {
    const counts = (conform: number, total: number) => ({ conform, 'not-conform': total - conform, undeclared: 0, 'needs-evidence': 0, total, shareConform: Math.round((conform * 1000) / total) / 10 });
    const summary = (scale: number): ReportSummary => ({
      framework: { id: 'carmo-education', version: 2, reference: 'CARMO' },
      totals: counts(7 * scale, 8 * scale),
      byItem: [{ item: 'tablet', label: 'Tablette élève', ...counts(7 * scale, 8 * scale) }],
      bySupplier: [{ supplier: 'F', ...counts(7 * scale, 8 * scale) }],
      offers: [],
    });
    const date = '2026-12-07T00:00:00.000Z';
    const [a, b] = [await renderPdf(catalogueSummaryDocument(summary(1), date)), await renderPdf(catalogueSummaryDocument(summary(1), date))];
    expect(Buffer.compare(a, b)).toBe(0);
    const large = catalogueSummaryDocument(summary(10_000), date);
    expect(large.blocks.length).toBe(catalogueSummaryDocument(summary(1), date).blocks.length);
    const dir = mkdtempSync(join(tmpdir(), 'cahier-conformity-pdf-'));
    const path = join(dir, 'large.pdf');
    writeFileSync(path, await renderPdf(large));
    expect((await readBack(path)).text).toContain('70 000 conformes sur 80 000 (87,5 %)');
  });
});
