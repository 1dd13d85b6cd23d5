/**
 * Footers, written once the page count is known: the document's footer text at the left and
 * "Page X / Y" at the right of every page, the cover (page 1) included.
 */
import { measure, measureChars, type Face } from './fonts.ts';
import { drawText } from './text.ts';
import { COLORS, CONTENT_WIDTH, FOOTER, PAGE } from './theme.ts';
import type { FontSet } from './fonts.ts';
import type { Tagger } from './tags.ts';

/** The footers are pagination artifacts: a screen reader does not read them on every page. */
export function drawFooters(pdf: PDFKit.PDFDocument, fonts: FontSet, tags: Tagger, footerText: string): void {
  const total = pdf.bufferedPageRange().count;
  const face = fonts.faces.regular;
  const left = PAGE.margins.left;
  const right = left + CONTENT_WIDTH;
  const baseline = PAGE.height - FOOTER.baselineFromBottom;
  const ruleY = PAGE.height - FOOTER.ruleFromBottom;
  const widest = measure(face, `Page ${total} / ${total}`) * FOOTER.size;
  const text = fitText(face, footerText.replace(/\s+/g, ' ').trim(), CONTENT_WIDTH - widest - FOOTER.gap);

  for (let page = 1; page <= total; page++) {
    pdf.switchToPage(page - 1);
    // Text below the bottom margin would make PDFKit add a page; lift the margin while writing.
    const margins = pdf.page.margins;
    const bottom = margins.bottom;
    margins.bottom = 0;
    tags.artifact(() => {
      pdf.lineWidth(0.5).strokeColor(COLORS.rule).moveTo(left, ruleY).lineTo(right, ruleY).stroke();
      pdf.fontSize(FOOTER.size).fillColor(COLORS.muted);
      if (text) drawText(pdf, face, text, left, baseline);
      const label = `Page ${page} / ${total}`;
      drawText(pdf, face, label, right - measure(face, label) * FOOTER.size, baseline);
    }, 'Pagination');
    margins.bottom = bottom;
  }
}

/** `text` cut with an ellipsis so that it fits in `width` points at the footer size. */
function fitText(face: Face, text: string, width: number): string {
  if (measure(face, text) * FOOTER.size <= width) return text;
  const room = width / FOOTER.size - measure(face, '…');
  let out = '';
  let used = 0;
  for (const ch of text) {
    used += measureChars(face, ch);
    if (used > room) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}
