/** Cover page: kicker, title, label/value facts and a footnote at the foot of the page. */
import type { CoverPage } from '#src/core/documents/blocks.ts';
import { measure } from './fonts.ts';
import type { Flow } from './flow.ts';
import type { Tag } from './tags.ts';
import { baselineOffset, drawLine, endWithSpace, layoutLines, prepare, type Line } from './text.ts';
import { COLORS } from './theme.ts';

const KICKER = { size: 12, lineHeight: 16 };
const TITLE = { size: 24, lineHeight: 30 };
const FACT = { size: 10.5, lineHeight: 15, gap: 5, labelGap: 14, maxLabelShare: 0.4 };
const FOOTNOTE = { size: 9, lineHeight: 12.5 };

/**
 * Draws the cover on the current (first) page; the flow cursor is left untouched. Kicker,
 * title, each fact (label then value) and the footnote are paragraphs of `parent`; the accent
 * bar and the rule are artifacts.
 */
export function drawCover(flow: Flow, cover: CoverPage, parent: Tag): void {
  const { pdf, fonts, left, width, tags } = flow;
  const paragraph = (draw: () => void): void => {
    const tag = tags.add(parent, 'P');
    tags.mark(tag, draw);
    tags.end(tag);
  };
  const { regular, bold } = fonts.faces;
  let y = flow.top + 150;

  const block = (lines: readonly Line[], x: number, size: number, lineHeight: number): void => {
    const base = baselineOffset(regular, size, lineHeight);
    pdf.fontSize(size);
    lines.forEach((line, i) => drawLine(pdf, line, x, y + i * lineHeight + base));
    y += lines.length * lineHeight;
  };

  pdf.fillColor(COLORS.accent);
  paragraph(() => block(layoutLines(prepare([{ text: cover.kicker }], fonts), width, KICKER.size), left, KICKER.size, KICKER.lineHeight));
  y += 10;
  tags.artifact(() => pdf.rect(left, y, 64, 2.5).fill(COLORS.accent));
  y += 18;
  pdf.fillColor(COLORS.text);
  paragraph(() => block(layoutLines(prepare([{ text: cover.title, bold: true }], fonts), width, TITLE.size), left, TITLE.size, TITLE.lineHeight));
  y += 40;

  const footnoteLines = layoutLines(prepare([{ text: cover.footnote }], fonts), width, FOOTNOTE.size);
  const footnoteTop = flow.bottom - footnoteLines.length * FOOTNOTE.lineHeight;

  const labelWidth = Math.min(
    width * FACT.maxLabelShare,
    Math.max(0, ...cover.facts.map((f) => measure(bold, f.label) * FACT.size)) + FACT.labelGap,
  );
  for (const fact of cover.facts) {
    const labels = endWithSpace(layoutLines(prepare([{ text: fact.label, bold: true }], fonts), labelWidth - FACT.labelGap, FACT.size), bold);
    const values = layoutLines(prepare([{ text: fact.value }], fonts), width - labelWidth, FACT.size);
    const height = Math.max(1, labels.length, values.length) * FACT.lineHeight;
    if (y + height > footnoteTop - FACT.lineHeight) break; // a cover never spills onto a second page
    const top = y;
    paragraph(() => {
      pdf.fillColor(COLORS.muted);
      block(labels, left, FACT.size, FACT.lineHeight);
      y = top;
      pdf.fillColor(COLORS.text);
      block(values, left + labelWidth, FACT.size, FACT.lineHeight);
    });
    y = top + height + FACT.gap;
  }

  y = footnoteTop;
  tags.artifact(() => pdf.lineWidth(0.5).strokeColor(COLORS.rule).moveTo(left, y - 8).lineTo(left + width, y - 8).stroke());
  pdf.fillColor(COLORS.muted);
  if (footnoteLines.length > 0) paragraph(() => block(footnoteLines, left, FOOTNOTE.size, FOOTNOTE.lineHeight));
  pdf.fillColor(COLORS.text);
}
