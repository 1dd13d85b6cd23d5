/**
 * Table of contents. Planned before the body is laid out (its page count does not depend on
 * page numbers: entries are wrapped against a fixed page-number column), drawn afterwards on
 * the pages reserved for it, with dot leaders, page numbers and links to the headings.
 */
import type { HeadingBlock } from '#src/core/documents/blocks.ts';
import { measure, type Face, type FontSet } from './fonts.ts';
import type { Tag, Tagger } from './tags.ts';
import { baselineOffset, drawLine, drawText, drawWord, endWithSpace, layoutLines, prepare, type Line } from './text.ts';
import { COLORS, CONTENT_WIDTH, PAGE, TOC } from './theme.ts';

interface TocItem {
  /** Index of the heading among all headings of the document. */
  readonly headingIndex: number;
  readonly heading: HeadingBlock;
  /** 0-based page within the TOC. */
  readonly pageOffset: number;
  readonly top: number;
  readonly face: Face;
  readonly numberX: number;
  readonly textX: number;
  readonly lines: readonly Line[];
}

export interface TocPlan {
  readonly pages: number;
  readonly items: readonly TocItem[];
  /** Height of an entry line, in points (compacted when that saves a near-empty page). */
  readonly lineHeight: number;
}

const LEFT = PAGE.margins.left;
const RIGHT = PAGE.margins.left + CONTENT_WIDTH;
const TOP = PAGE.margins.top;
const BOTTOM = PAGE.height - PAGE.margins.bottom;

/** An entry laid out horizontally; its vertical place depends on the spacing chosen. */
type Entry = Omit<TocItem, 'pageOffset' | 'top'>;

/**
 * Lays out the entries (levels 1 and 2) and counts the pages they need; 0 when there are none.
 *
 * A contents page holding only a few entries at the top of an otherwise blank page reads as a
 * mistake: when the last page would be filled to less than TOC.minLastPageShare, the entries are
 * first set with tighter spacing if that saves the page, or else spread evenly over the pages.
 */
export function planToc(headings: readonly HeadingBlock[], fonts: FontSet): TocPlan {
  const chosen = headings.map((heading, headingIndex) => ({ heading, headingIndex })).filter((e) => e.heading.level <= 2);
  if (chosen.length === 0) return { pages: 0, items: [], lineHeight: TOC.lineHeight };

  const faceOf = (level: number): Face => (level === 1 ? fonts.faces.bold : fonts.faces.regular);
  const indentOf = (level: number): number => (level === 1 ? 0 : TOC.level2Indent);
  const numberColumn = [1, 2].map((level) =>
    Math.max(0, ...chosen.filter((e) => e.heading.level === level).map((e) => measure(faceOf(level), e.heading.number) * TOC.size)) + TOC.numberGap,
  );
  // Room for the leader and the page number after the text of each entry.
  const textRight = RIGHT - pageNumberWidth(fonts) - TOC.leaderGap * 2 - measure(fonts.faces.regular, ' . .') * TOC.size;
  const entries: Entry[] = chosen.map(({ heading, headingIndex }) => {
    const face = faceOf(heading.level);
    const numberX = LEFT + indentOf(heading.level);
    const textX = numberX + (heading.number ? numberColumn[heading.level - 1]! : 0);
    // The page number follows the text in the entry's link: keep them apart when read back.
    const lines = endWithSpace(layoutLines(prepare([{ text: heading.text, bold: heading.level === 1 }], fonts), textRight - textX, TOC.size), face);
    return { headingIndex, heading, face, numberX, textX, lines };
  });

  const normal = place(entries, TOC.lineHeight, TOC.level1Gap, BOTTOM);
  if (normal.pages === 1 || normal.lastFill >= TOC.minLastPageShare) return normal.plan;
  const compact = place(entries, TOC.compactLineHeight, TOC.compactLevel1Gap, BOTTOM);
  if (compact.pages < normal.pages) return compact.plan;
  // Same page count: the lowest page bottom that still needs no more pages spreads the entries evenly.
  let low = TOP + (BOTTOM - TOP) / 2;
  let high = BOTTOM;
  for (let i = 0; i < 24 && high - low > 0.5; i++) {
    const mid = (low + high) / 2;
    if (place(entries, TOC.lineHeight, TOC.level1Gap, mid).pages <= normal.pages) high = mid;
    else low = mid;
  }
  return place(entries, TOC.lineHeight, TOC.level1Gap, high).plan;
}

/** Places the entries top-down on pages whose content ends at `bottom`. */
function place(entries: readonly Entry[], lineHeight: number, level1Gap: number, bottom: number): { plan: TocPlan; pages: number; lastFill: number } {
  const items: TocItem[] = [];
  let page = 0;
  let y = TOP + TOC.titleLineHeight + TOC.titleAfter;
  for (const entry of entries) {
    const height = Math.max(1, entry.lines.length) * lineHeight;
    const gap = entry.heading.level === 1 && y > TOP ? level1Gap : 0;
    if (y + gap + height > bottom && items.length > 0 && y > TOP) {
      page += 1;
      y = TOP;
    } else {
      y += gap;
    }
    items.push({ ...entry, pageOffset: page, top: y });
    y += height;
  }
  return { plan: { pages: page + 1, items, lineHeight }, pages: page + 1, lastFill: (y - TOP) / (BOTTOM - TOP) };
}

/** Widest page number the column is sized for. */
const pageNumberWidth = (fonts: FontSet): number => measure(fonts.faces.regular, '0000') * TOC.size;

/** Where the contents go in the structure tree: its title (a paragraph) and the TOC element. */
export interface TocTags {
  readonly title: Tag;
  readonly toc: Tag;
}

/** The contents' elements, created where they are read (after the cover) before the body is drawn. */
export function tocTags(tags: Tagger, parent: Tag): TocTags {
  return { title: tags.add(parent, 'P'), toc: tags.add(parent, 'TOC') };
}

/**
 * Draws the planned TOC on the document's pages starting at 1-based `firstPage`.
 * `pageOf(headingIndex)` is the page where that heading was written. Each entry is a TOCI
 * holding a Link (number, text and page number, with the link annotation); dot leaders are
 * artifacts.
 */
export function drawToc(
  pdf: PDFKit.PDFDocument,
  plan: TocPlan,
  fonts: FontSet,
  firstPage: number,
  pageOf: (headingIndex: number) => number,
  tagging: { readonly tags: Tagger; readonly at: TocTags },
): void {
  if (plan.pages === 0) return;
  const { tags, at } = tagging;
  const regular = fonts.faces.regular;
  pdf.switchToPage(firstPage - 1);
  pdf.fontSize(TOC.titleSize).fillColor(COLORS.accent);
  tags.mark(at.title, () => drawText(pdf, fonts.faces.bold, TOC.title, LEFT, TOP + baselineOffset(fonts.faces.bold, TOC.titleSize, TOC.titleLineHeight)));
  tags.end(at.title);

  const { lineHeight } = plan;
  const base = baselineOffset(regular, TOC.size, lineHeight);
  const leaderEnd = RIGHT - pageNumberWidth(fonts) - TOC.leaderGap;
  const leaderUnit = measure(regular, ' .') * TOC.size;
  let currentOffset = 0;
  pdf.fontSize(TOC.size).fillColor(COLORS.text);
  for (const item of plan.items) {
    if (item.pageOffset !== currentOffset) {
      currentOffset = item.pageOffset;
      pdf.switchToPage(firstPage - 1 + currentOffset);
    }
    const { heading, top, lines } = item;
    const tocItem = tags.add(at.toc, 'TOCI');
    const entry = tags.add(tocItem, heading.anchor ? 'Link' : 'P');
    tags.mark(entry, () => {
      if (heading.number) drawWord(pdf, item.face, heading.number, item.numberX, top + base);
      lines.forEach((line, i) => drawLine(pdf, line, item.textX, top + i * lineHeight + base));
    });

    const lastTop = top + Math.max(0, lines.length - 1) * lineHeight;
    const textEnd = item.textX + (lines[lines.length - 1]?.width ?? 0) + TOC.leaderGap;
    const dots = Math.floor((leaderEnd - textEnd) / leaderUnit);
    pdf.fillColor(COLORS.muted);
    if (dots > 0) tags.artifact(() => drawText(pdf, regular, ' .'.repeat(dots), leaderEnd - dots * leaderUnit, lastTop + base));
    pdf.fillColor(COLORS.text);
    const page = pageOf(item.headingIndex);
    const pageText = String(page);
    tags.mark(entry, () => drawText(pdf, item.face, pageText, RIGHT - measure(item.face, pageText) * TOC.size, lastTop + base));

    if (heading.anchor) {
      const label = heading.number ? `${heading.number} ${heading.text}` : heading.text;
      tags.goTo(entry, item.numberX, top, RIGHT - item.numberX, lastTop + lineHeight - top, heading.anchor, `${label}, page ${page}`);
    }
    tags.end(tocItem);
  }
  tags.end(at.toc);
}
