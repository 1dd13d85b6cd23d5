/** Headings, paragraphs, lists and page breaks, written through the Flow cursor. */
import type { BarBlock, BarTone, Block, HeadingBlock, ListBlock, ParagraphBlock, TableBlock } from '#src/core/documents/blocks.ts';
import { measure } from './fonts.ts';
import type { Flow } from './flow.ts';
import { layoutTable, type TableLayout } from './table.ts';
import { headingType, type Tag } from './tags.ts';
import { baselineOffset, drawLine, drawWord, layoutLines, prepare, type Line } from './text.ts';
import { BODY, COLORS, HEADINGS, KEEP_WITH_NEXT_LINES, LIST, PAGE, type HeadingStyle } from './theme.ts';
import { outlineItemAt } from './upstream.ts';

/** Where a heading was written: 1-based page and top of its first line. */
export interface HeadingPlacement {
  readonly heading: HeadingBlock;
  readonly page: number;
  readonly y: number;
}

/** Draws the blocks in order, their structure elements appended to `parent`. */
export function drawBlocks(flow: Flow, blocks: readonly Block[], parent: Tag): HeadingPlacement[] {
  const placements: HeadingPlacement[] = [];
  const outline = new OutlineBuilder(flow.pdf);
  const anchors = new Set<string>();
  // Headings and tables are laid out ahead of drawing when a preceding heading needs their height.
  const tables = new Map<number, TableLayout | null>();
  const headings = new Map<number, LaidHeading>();
  const tableAt = (i: number, table: TableBlock): TableLayout | null => {
    if (!tables.has(i)) tables.set(i, layoutTable(flow, table));
    return tables.get(i)!;
  };
  const headingAt = (i: number, heading: HeadingBlock): LaidHeading => {
    let laid = headings.get(i);
    if (!laid) headings.set(i, (laid = layoutHeading(flow, heading)));
    return laid;
  };
  /** Room that block `i` needs at the foot of a page so that a heading before it is not stranded. */
  const keepHeight = (i: number, depth = 0): number => {
    const block = blocks[i];
    if (!block || depth > 3) return 0;
    switch (block.type) {
      case 'heading': {
        const laid = headingAt(i, block);
        return laid.style.before + laid.height + laid.style.after + keepHeight(i + 1, depth + 1);
      }
      case 'table':
        return tableAt(i, block)?.keepHeight ?? 0;
      case 'paragraph':
      case 'list':
        return KEEP_WITH_NEXT_LINES * BODY.lineHeight;
      case 'bar':
        return barHeight(flow, block);
      case 'page-break':
        return 0;
    }
  };

  blocks.forEach((block, i) => {
    switch (block.type) {
      case 'heading': {
        // Keep the heading with the start of what follows (the next heading and the start of its
        // block, a table's header and first row, three lines of text) unless that start cannot
        // share a page with the heading anyway; then it breaks where it must.
        const laid = headingAt(i, block);
        const keep = Math.min(keepHeight(i + 1), flow.bottom - flow.top - laid.height - laid.style.after);
        const placement = drawHeading(flow, laid, keep, parent);
        placements.push(placement);
        outline.add(block, flow.left, placement.y);
        if (block.anchor && !anchors.has(block.anchor)) {
          anchors.add(block.anchor);
          flow.pdf.addNamedDestination(block.anchor, 'XYZ', flow.left, placement.y, null);
        }
        break;
      }
      case 'paragraph':
        drawParagraph(flow, block, parent);
        break;
      case 'list':
        drawList(flow, block, parent);
        break;
      case 'table':
        tableAt(i, block)?.draw(parent);
        tables.delete(i);
        break;
      case 'bar':
        drawBar(flow, block, parent);
        break;
      case 'page-break':
        if (!flow.atTop) flow.newPage();
        break;
    }
  });
  return placements;
}

interface LaidHeading {
  readonly heading: HeadingBlock;
  readonly style: HeadingStyle;
  readonly numberWidth: number;
  readonly lines: readonly Line[];
  readonly height: number;
}

function layoutHeading(flow: Flow, heading: HeadingBlock): LaidHeading {
  const style = HEADINGS[heading.level];
  const face = flow.fonts.faces[style.face];
  const numberWidth = heading.number ? measure(face, heading.number) * style.size + style.size * 0.6 : 0;
  const lines = layoutLines(prepare([{ text: heading.text, bold: true }], flow.fonts), flow.width - numberWidth, style.size);
  return { heading, style, numberWidth, lines, height: Math.max(1, lines.length) * style.lineHeight };
}

/** Heading number followed by its text, wrapped with a hanging indent; kept with `keep` points of what follows. */
function drawHeading(flow: Flow, laid: LaidHeading, keep: number, parent: Tag): HeadingPlacement {
  const { heading, style, numberWidth, lines, height } = laid;
  const face = flow.fonts.faces[style.face];
  flow.gap(style.before);
  flow.ensure(height + style.after + keep);
  const top = flow.y;
  const pdf = flow.pdf;
  pdf.fontSize(style.size).fillColor(style.color);
  const base = baselineOffset(face, style.size, style.lineHeight);
  const tag = flow.tags.add(parent, headingType(heading.level));
  flow.tags.mark(tag, () => {
    if (heading.number) drawWord(pdf, face, heading.number, flow.left, top + base);
    lines.forEach((line, i) => drawLine(pdf, line, flow.left + numberWidth, top + i * style.lineHeight + base));
  });
  flow.tags.end(tag);
  pdf.fillColor(COLORS.text);
  flow.y = top + height + style.after;
  flow.drew('heading');
  return { heading, page: flow.page, y: top };
}

function drawParagraph(flow: Flow, paragraph: ParagraphBlock, parent: Tag): void {
  if (drawText(flow, paragraph.runs, parent)) flow.y += BODY.paragraphGap;
}

/** Body text as a P element, lines flowed across pages; false when there was nothing to write. */
function drawText(flow: Flow, runs: ParagraphBlock['runs'], parent: Tag): boolean {
  const lines = layoutLines(prepare(runs, flow.fonts), flow.width, BODY.size);
  if (lines.length === 0) return false;
  const pdf = flow.pdf.fontSize(BODY.size).fillColor(COLORS.text);
  const base = baselineOffset(flow.fonts.faces.regular, BODY.size, BODY.lineHeight);
  const tag = flow.tags.add(parent, 'P');
  flowLines(flow, lines.length, BODY.lineHeight, (i, top) => drawLine(pdf, lines[i]!, flow.left, top + base), tag);
  flow.tags.end(tag);
  return true;
}

/** Height of a bar, and the gap between it and its caption. */
const BAR = { height: 12, gap: 3 } as const;

/** Colours of the bar segments: distinct in grey scale too (dark, light, lighter, hatched-like mid). */
const BAR_COLORS: Record<BarTone, string> = { positive: '#2e7d4f', negative: '#b3261e', missing: '#aab4be', pending: '#d9962b' };

function barHeight(flow: Flow, bar: BarBlock): number {
  return Math.max(1, layoutLines(prepare(bar.caption, flow.fonts), flow.width, BODY.size).length) * BODY.lineHeight + BAR.gap + BAR.height + BODY.paragraphGap;
}

/**
 * A caption (a P element: the figures as text) and under it, on the same page, the bar drawn with
 * vector rectangles as an artifact: assistive technology reads the caption and skips the drawing.
 */
function drawBar(flow: Flow, bar: BarBlock, parent: Tag): void {
  // Caption and bar on one page: the bar never sits apart from its figures.
  flow.ensure(barHeight(flow, bar));
  drawText(flow, bar.caption, parent);
  const pdf = flow.pdf;
  const top = flow.y + BAR.gap;
  const total = bar.segments.reduce((sum, s) => sum + Math.max(0, s.value), 0);
  flow.tags.artifact(() => {
    pdf.save();
    let x = flow.left;
    for (const segment of bar.segments) {
      if (total === 0 || segment.value <= 0) continue;
      const width = (flow.width * segment.value) / total;
      pdf.rect(x, top, width, BAR.height).fill(BAR_COLORS[segment.tone]);
      x += width;
    }
    pdf.lineWidth(0.5).rect(flow.left, top, flow.width, BAR.height).stroke(COLORS.grid);
    pdf.restore();
  });
  pdf.fillColor(COLORS.text);
  flow.y = top + BAR.height + BODY.paragraphGap;
  flow.drew('text');
}

function drawList(flow: Flow, list: ListBlock, parent: Tag): void {
  const regular = flow.fonts.faces.regular;
  const labels = list.items.map((_, i) => (list.ordered ? `${i + 1}.` : '•'));
  const labelWidth = Math.max(0, ...labels.map((l) => measure(regular, l) * BODY.size));
  const textX = flow.left + LIST.indent + labelWidth + LIST.labelGap;
  const textWidth = flow.left + flow.width - textX;
  const pdf = flow.pdf.fontSize(BODY.size).fillColor(COLORS.text);
  const base = baselineOffset(regular, BODY.size, BODY.lineHeight);
  const tags = flow.tags;
  const listTag = tags.add(parent, 'L');
  list.items.forEach((item, index) => {
    const lines = layoutLines(prepare(item, flow.fonts), textWidth, BODY.size);
    const label = labels[index]!;
    // Numbers are right-aligned on their dot, bullets sit at the indent.
    const labelX = flow.left + LIST.indent + (list.ordered ? labelWidth - measure(regular, label) * BODY.size : 0);
    const itemTag = tags.add(listTag, 'LI');
    const labelTag = tags.add(itemTag, 'Lbl');
    const bodyTag = tags.add(itemTag, 'LBody');
    flowLines(flow, Math.max(1, lines.length), BODY.lineHeight, (i, top) => {
      if (i === 0) tags.mark(labelTag, () => drawWord(pdf, regular, label, labelX, top + base));
      const line = lines[i];
      if (line) tags.mark(bodyTag, () => drawLine(pdf, line, textX, top + base));
    });
    if (index < list.items.length - 1) flow.y += LIST.itemGap;
  });
  tags.end(listTag);
  flow.y += LIST.gapAfter;
}

/**
 * Writes `count` lines of equal height, breaking pages as needed: never a single first line
 * at the foot of a page (orphan) nor, when avoidable, a single last line at the top (widow).
 * With `tag`, the lines of each page are one marked-content sequence of that element; without,
 * `draw` marks what it draws.
 */
export function flowLines(flow: Flow, count: number, lineHeight: number, draw: (index: number, top: number) => void, tag?: Tag): void {
  let i = 0;
  while (i < count) {
    const remaining = count - i;
    let fit = Math.floor((flow.room + 0.01) / lineHeight);
    if (fit < remaining) {
      if (i === 0 && fit < 2 && remaining >= 2) fit = 0;
      else if (remaining - fit === 1 && fit >= 3) fit -= 1;
      if (fit <= 0) {
        if (!flow.atTop) {
          flow.newPage();
          continue;
        }
        fit = 1; // a line taller than the page: write it anyway rather than loop
      }
    }
    const n = Math.min(fit, remaining);
    const drawLines = (): void => {
      for (let k = 0; k < n; k++) draw(i + k, flow.y + k * lineHeight);
    };
    if (tag) flow.tags.mark(tag, drawLines);
    else drawLines();
    flow.y += n * lineHeight;
    flow.drew('text');
    i += n;
    if (i < count) flow.newPage();
  }
}

/** PDF bookmarks nested by heading level; each opens the page being written at the heading. */
class OutlineBuilder {
  private readonly parents: Array<PDFKit.PDFOutline | undefined> = [];

  constructor(private readonly pdf: PDFKit.PDFDocument) {}

  /** `left`, `top`: the heading's position on the current page (points from the top-left corner). */
  add(heading: HeadingBlock, left: number, top: number): void {
    const label = heading.number ? `${heading.number} ${heading.text}` : heading.text;
    let parent: PDFKit.PDFOutline = this.pdf.outline;
    for (let level = heading.level - 1; level >= 1; level--) {
      const candidate = this.parents[level];
      if (candidate) {
        parent = candidate;
        break;
      }
    }
    this.parents[heading.level] = parent.addItem(label, outlineItemAt(PAGE.width, left, top));
    this.parents.length = heading.level + 1;
  }
}
