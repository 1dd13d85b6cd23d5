/**
 * word/document.xml and word/footer1.xml from a DocumentModel: cover, « Sommaire » page with its
 * table of contents, body blocks, and the section (A4, margins, footer). Written in one pass
 * into an XmlOut; every piece of text goes through escapeText.
 */
import type { Block, DocumentModel, HeadingBlock, ListBlock, Run, TableBlock } from '#src/core/documents/blocks.ts';
import { BOLD, CODE_FONTS, CODE_SIZE, COLORS, FOOTER_RELATIONSHIP, ITALIC, NUM, PAGE, R_NS, TEXT_WIDTH, W_NS } from './package-parts.ts';
import { XML_DECLARATION } from '#src/adapters/render/xml-text.ts';
import { escapeText, XmlOut } from './wordml.ts';

const DOCUMENT_OPEN = `${XML_DECLARATION}<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>`;
const PAGE_BREAK_BEFORE = '<w:pageBreakBefore/>';

/** `<w:r>` holding `text`, with run properties when any. */
const textRun = (text: string, rPr = ''): string => `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${escapeText(text)}</w:t></w:r>`;
const TAB_RUN = '<w:r><w:tab/></w:r>';
const fieldChar = (type: 'begin' | 'separate' | 'end'): string => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`;
const instruction = (code: string): string => `<w:r><w:instrText xml:space="preserve">${escapeText(code)}</w:instrText></w:r>`;
/** A field whose result Word or LibreOffice computes (page numbers depend on their layout). */
const field = (code: string): string => `${fieldChar('begin')}${instruction(code)}${fieldChar('separate')}${fieldChar('end')}`;
const paragraph = (pPr: string, content: string): string => `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${content}</w:p>`;
const style = (id: string): string => `<w:pStyle w:val="${id}"/>`;
const numPr = (ilvl: number, numId: number): string => `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`;
const SPACED_AFTER_TABLE = '<w:spacing w:before="160"/>';

/** The bookmark a heading's TOC entry links to (hidden: a leading underscore, as Word's own). */
const bookmarkOf = (heading: HeadingBlock): string => `_Toc_${heading.anchor.replace(/[^A-Za-z0-9]/g, '_')}`.slice(0, 40);

/** Whether Word's multilevel numbering counts the headings as the model numbers them. */
function countsLikeWord(headings: readonly HeadingBlock[]): boolean {
  const counters = [0, 0, 0];
  return headings.every((h) => {
    counters[h.level - 1]! += 1;
    counters.fill(0, h.level);
    return h.number === counters.slice(0, h.level).join('.');
  });
}

/** word/document.xml, and how many ordered lists it numbers (each its own numbering instance). */
export function documentXml(doc: DocumentModel): { xml: string; orderedLists: number } {
  const headings = doc.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
  const out = new XmlOut().push(DOCUMENT_OPEN);
  cover(out, doc);
  contents(out, headings);
  const orderedLists = body(out, doc.blocks, countsLikeWord(headings));
  out.push(
    `<w:sectPr><w:footerReference w:type="default" r:id="${FOOTER_RELATIONSHIP}"/><w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}"/>`,
    `<w:pgMar w:top="${PAGE.margin}" w:right="${PAGE.margin}" w:bottom="${PAGE.margin}" w:left="${PAGE.margin}" w:header="${PAGE.headerFooter}" w:footer="${PAGE.headerFooter}" w:gutter="0"/></w:sectPr>`,
    '</w:body></w:document>',
  );
  return { xml: out.toString(), orderedLists };
}

/** word/footer1.xml: the document reference on the left, « Page X / Y » (PAGE / NUMPAGES fields) on the right. */
export function footerXml(text: string): string {
  return (
    `${XML_DECLARATION}<w:ftr xmlns:w="${W_NS}" xmlns:r="${R_NS}">` +
    paragraph(`${style('Footer')}<w:tabs><w:tab w:val="right" w:pos="${TEXT_WIDTH}"/></w:tabs>`, `${textRun(text)}<w:r><w:tab/><w:t xml:space="preserve">Page </w:t></w:r>${field('PAGE')}${textRun(' / ')}${field('NUMPAGES')}`) +
    '</w:ftr>'
  );
}

const NO_BORDERS = tableBorders('none', 0, 'FFFFFF');
const GRID_BORDERS = tableBorders('single', 4, COLORS.grid);

function tableBorders(kind: string, size: number, color: string): string {
  const side = (name: string) => `<w:${name} w:val="${kind}" w:sz="${size}" w:space="0" w:color="${color}"/>`;
  return `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(side).join('')}</w:tblBorders>`;
}

const tableOpen = (widths: readonly number[], borders: string): string =>
  `<w:tbl><w:tblPr><w:tblW w:w="${TEXT_WIDTH}" w:type="dxa"/>${borders}<w:tblLayout w:type="fixed"/></w:tblPr>` +
  `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;

/** Cover: kicker, title, the facts as a borderless two-column table, footnote. */
function cover(out: XmlOut, doc: DocumentModel): void {
  const widths = [2268, TEXT_WIDTH - 2268];
  const label = `${BOLD}<w:color w:val="${COLORS.muted}"/>`;
  out.push(paragraph(style('CoverKicker'), textRun(doc.cover.kicker)), paragraph(style('Title'), textRun(doc.cover.title)), tableOpen(widths, NO_BORDERS));
  for (const fact of doc.cover.facts) {
    out.push(
      '<w:tr><w:trPr><w:cantSplit/></w:trPr>',
      `<w:tc><w:tcPr><w:tcW w:w="${widths[0]}" w:type="dxa"/></w:tcPr>${paragraph('', textRun(fact.label, label))}</w:tc>`,
      `<w:tc><w:tcPr><w:tcW w:w="${widths[1]}" w:type="dxa"/></w:tcPr>${paragraph('', textRun(fact.value))}</w:tc></w:tr>`,
    );
  }
  out.push('</w:tbl>', paragraph(style('CoverNote'), textRun(doc.cover.footnote)));
}

/**
 * The « Sommaire » page: its title, then a TOC field over Heading 1–3 whose result is already the
 * entries — one paragraph per heading (style TOC1–3), its number, a tab, its text, a dotted tab
 * and a PAGEREF to the heading's bookmark. Word and LibreOffice show it as written and refresh it
 * on demand, so nothing asks to update fields on opening.
 */
function contents(out: XmlOut, headings: readonly HeadingBlock[]): void {
  out.push(paragraph(`${style('TOCHeading')}${PAGE_BREAK_BEFORE}`, textRun('Sommaire')));
  headings.forEach((h, i) => {
    const bookmark = bookmarkOf(h);
    const open = i === 0 ? `${fieldChar('begin')}${instruction(' TOC \\o "1-3" \\h \\z \\u ')}${fieldChar('separate')}` : '';
    const close = i === headings.length - 1 ? fieldChar('end') : '';
    const label = h.number ? `${textRun(h.number)}${TAB_RUN}${textRun(h.text)}` : textRun(h.text);
    out.push(paragraph(style(`TOC${h.level}`), `${open}<w:hyperlink w:anchor="${bookmark}" w:history="1">${label}${TAB_RUN}${field(` PAGEREF ${bookmark} \\h `)}</w:hyperlink>${close}`));
  });
}

/** The body blocks; returns the number of ordered lists written. */
function body(out: XmlOut, blocks: readonly Block[], numbered: boolean): number {
  let orderedLists = 0;
  let bookmarks = 0;
  // The body starts on the page after the table of contents.
  let breakBefore = true;
  let afterTable = false;
  for (const block of blocks) {
    const spaced = afterTable ? SPACED_AFTER_TABLE : '';
    const pageBreak = breakBefore ? PAGE_BREAK_BEFORE : '';
    afterTable = block.type === 'table';
    switch (block.type) {
      case 'heading':
        out.push(heading(block, pageBreak, numbered, ++bookmarks));
        break;
      case 'paragraph':
      case 'bar':
        // A bar's caption carries all its figures: Word gets the text, not the drawing.
        out.push(paragraph(pageBreak + spaced, runs(block.type === 'bar' ? block.caption : block.runs)));
        break;
      case 'list':
        if (pageBreak) out.push(paragraph(pageBreak, ''));
        out.push(list(block, block.ordered ? NUM.firstOrdered + orderedLists++ : NUM.bullet, spaced));
        break;
      case 'table':
        if (pageBreak) out.push(paragraph(pageBreak, ''));
        table(out, block);
        break;
      case 'page-break':
        breakBefore = true;
        continue;
    }
    breakBefore = false;
  }
  return orderedLists;
}

/** A heading paragraph in its Word heading style, bookmarked for its TOC entry; numbered by the multilevel list when `numbered`, else its number typed. */
function heading(block: HeadingBlock, pageBreak: string, numbered: boolean, id: number): string {
  const typed = !numbered && block.number !== '';
  const text = typed ? `${textRun(block.number)}<w:r><w:tab/><w:t xml:space="preserve">${escapeText(block.text)}</w:t></w:r>` : textRun(block.text);
  const pPr = `${style(`Heading${block.level}`)}${pageBreak}${numbered ? numPr(block.level - 1, NUM.headings) : ''}`;
  return paragraph(pPr, `<w:bookmarkStart w:name="${bookmarkOf(block)}" w:id="${id}"/>${text}<w:bookmarkEnd w:id="${id}"/>`);
}

function runProperties(run: Run, bold: boolean): string {
  let rPr = '';
  if (run.code === true) rPr += CODE_FONTS;
  if (bold || run.bold === true) rPr += BOLD;
  if (run.italic === true) rPr += ITALIC;
  if (run.code === true) rPr += CODE_SIZE;
  return rPr;
}

function runs(list: readonly Run[], bold = false): string {
  let out = '';
  for (const run of list) out += textRun(run.text, runProperties(run, bold));
  return out;
}

function list(block: ListBlock, numId: number, first: string): string {
  const numbering = numPr(0, numId);
  let out = '';
  block.items.forEach((item, i) => {
    out += paragraph(`${style('ListParagraph')}${numbering}${i === 0 ? first : ''}`, runs(item));
  });
  return out;
}

const CELL_MARGINS = '<w:tcMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tcMar>';
const HEADER_FILL = `<w:shd w:val="clear" w:color="auto" w:fill="${COLORS.headerFill}"/>`;

/** A grid table whose header row repeats on every page (w:tblHeader), rows never split across pages. */
function table(out: XmlOut, block: TableBlock): void {
  const widths = columnWidths(block);
  const paragraphs = block.align.map((a) => `${style('TableText')}<w:jc w:val="${a}"/>`);
  const row = (cells: readonly Run[][], header: boolean): void => {
    out.push(header ? '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>' : '<w:tr><w:trPr><w:cantSplit/></w:trPr>');
    cells.forEach((content, column) => {
      const pPr = paragraphs[column] ?? `${style('TableText')}<w:jc w:val="left"/>`;
      out.push(`<w:tc><w:tcPr><w:tcW w:w="${widths[column] ?? 0}" w:type="dxa"/>${header ? HEADER_FILL : ''}${CELL_MARGINS}</w:tcPr>${paragraph(pPr, runs(content, header))}</w:tc>`);
    });
    out.push('</w:tr>');
  };
  out.push(tableOpen(widths, GRID_BORDERS));
  row(block.header, true);
  for (const cells of block.rows) row(cells, false);
  out.push('</w:tbl>');
}

/**
 * Column widths in twips. Each column first gets room for its longest word (identifiers and
 * amounts stay on one line, within reason); the rest of the width is then shared in proportion
 * to each column's average amount of text, no column growing past what its longest cell needs
 * on one line. The requirement text thus takes most of the width, short values stay compact.
 */
function columnWidths(block: TableBlock): number[] {
  const charWidth = 85; // ≈ one 8.5 pt Calibri character, in twips
  const padding = 170; // left and right cell margins, and a little air
  const columns = block.header.length;
  const texts = (i: number) => [block.header[i]!, ...block.rows.map((r) => r[i] ?? [])].map((runs) => runs.map((r) => r.text).join(''));
  const stats = Array.from({ length: columns }, (_, i) => {
    const cells = texts(i);
    const longestWord = Math.min(24, Math.max(1, ...cells.flatMap((t) => t.split(/\s+/).map((w) => w.length))));
    const longest = Math.max(...cells.map((t) => t.length));
    // One character more than the longest word: bold headers run wider.
    const min = (longestWord + 1) * charWidth + padding;
    return {
      min,
      max: Math.max(min, Math.min(longest, 90) * charWidth + padding),
      weight: Math.max(1, cells.reduce((n, t) => n + t.length, 0) / Math.max(1, cells.length)),
    };
  });
  const widths = stats.map((s) => s.min);
  let room = TEXT_WIDTH - widths.reduce((n, w) => n + w, 0);
  if (room <= 0) return scaleTo(widths);
  for (let round = 0; round < columns && room > 1; round++) {
    const growing = stats.map((_, i) => i).filter((i) => widths[i]! < stats[i]!.max);
    if (growing.length === 0) break;
    const weight = growing.reduce((n, i) => n + stats[i]!.weight, 0);
    let given = 0;
    for (const i of growing) {
      const share = Math.min((room * stats[i]!.weight) / weight, stats[i]!.max - widths[i]!);
      widths[i]! += share;
      given += share;
    }
    room -= given;
  }
  if (room > 1) {
    // Every column has what it needs: the rest goes by amount of text.
    const weight = stats.reduce((n, s) => n + s.weight, 0);
    stats.forEach((s, i) => (widths[i]! += (room * s.weight) / weight));
  }
  return scaleTo(widths);
}

function scaleTo(widths: number[]): number[] {
  const total = widths.reduce((n, w) => n + w, 0);
  const scaled = widths.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  scaled[scaled.length - 1]! += TEXT_WIDTH - scaled.reduce((n, w) => n + w, 0);
  return scaled;
}
