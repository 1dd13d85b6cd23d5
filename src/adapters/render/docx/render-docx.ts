/**
 * DocumentModel → Word (.docx) with the `docx` library, from the same blocks as the PDF.
 *
 * Layout: cover (kicker, title, facts, footnote), then a "Sommaire" page holding a TOC field over
 * Heading1–3 whose entries are already written (each a link to its heading's bookmark, with a
 * PAGEREF field left for Word or LibreOffice to fill: page numbers depend on their layout, which
 * Cahier does not know), so nothing asks to update fields on opening; then the body. Headings use
 * Word's built-in heading styles and a multilevel list of the numbering part (« 4 », « 4.2 »,
 * « 4.2.1 »), never typed numbers; when a model's numbers are not the sequence Word would count
 * (a model not built by the markup parser), they stay typed. Tables repeat their header row on
 * every page (`tableHeader`) and rows do not split across pages. Every page footer reads the
 * document reference on the left and "Page X / Y" on the right (PAGE / NUMPAGES fields).
 *
 * Output is reproducible: the library stamps the current time into docProps/core.xml and the zip
 * entries, so the package is re-written with the model's `createdAt` (see office-package.ts).
 */
import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  LevelSuffix,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type IStylesOptions,
  type ParagraphChild,
} from 'docx';
import type { Block, CellAlign, DocumentModel, HeadingBlock, ListBlock, Run, TableBlock } from '#src/core/documents/blocks.ts';
import { fixCoreDates, partText, setCoreLanguage, readPackage, setPartText, writePackage, type PackageParts } from '#src/adapters/render/office-package.ts';

/** Twips (1/20 pt): A4 portrait with 2 cm margins. */
const PAGE = { width: 11906, height: 16838, margin: 1134 } as const;
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** Hanging indent that holds the heading number, in twips. */
const HEADING_NUMBER_WIDTH = 794;

const COLORS = { text: '1B1F23', accent: '1F3A5F', muted: '5B6670', grid: 'B4BEC8', headerFill: 'E3E9F0' } as const;
const FONTS = { body: 'Calibri', code: 'Consolas' } as const;

const BULLET = 'cahier-bullet';
const ORDERED = 'cahier-ordered';
const HEADINGS = 'cahier-headings';
/** Replaced by the table of contents once the library has written the document. */
const TOC_PLACEHOLDER = 'cahier-table-of-contents';

export async function renderDocx(doc: DocumentModel): Promise<Uint8Array> {
  const created = new Date(doc.meta.createdAt);
  if (Number.isNaN(created.getTime())) throw new RangeError(`meta.createdAt is not a valid date: "${doc.meta.createdAt}"`);
  const headings = doc.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
  const numbered = countsLikeWord(headings);

  const document = new Document({
    title: doc.meta.title,
    subject: doc.meta.subject,
    creator: doc.meta.author,
    keywords: doc.meta.keywords.join(', '),
    description: doc.cover.kicker,
    lastModifiedBy: 'Cahier',
    revision: 1,
    styles: styles(doc.meta.language),
    numbering: {
      config: [
        {
          reference: HEADINGS,
          levels: ([1, 2, 3] as const).map((level) => ({
            level: level - 1,
            format: LevelFormat.DECIMAL,
            text: Array.from({ length: level }, (_, i) => `%${i + 1}`).join('.'),
            alignment: AlignmentType.LEFT,
            suffix: LevelSuffix.TAB,
            style: { paragraph: { indent: { left: HEADING_NUMBER_WIDTH, hanging: HEADING_NUMBER_WIDTH } } },
          })),
        },
        {
          reference: BULLET,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '•',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 454, hanging: 227 } } },
            },
          ],
        },
        {
          reference: ORDERED,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 454, hanging: 340 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.width, height: PAGE.height },
            margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin, footer: 567, header: 567 },
          },
        },
        footers: { default: footer(doc.footerText) },
        children: [...cover(doc), ...contents(), ...body(doc.blocks, numbered)],
      },
    ],
  });

  const raw = await Packer.toBuffer(document);
  const parts = readPackage(raw);
  fixCoreDates(parts, doc.meta.createdAt);
  setCoreLanguage(parts, doc.meta.language);
  writeTableOfContents(parts, headings);
  renumberBookmarks(parts);
  setLanguageSettings(parts, doc.meta.language);
  setPartText(
    parts,
    'docProps/app.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Cahier</Application></Properties>',
  );
  return writePackage(parts, doc.meta.createdAt);
}

/** Whether Word's multilevel numbering counts the headings as the model numbers them. */
export function countsLikeWord(headings: readonly HeadingBlock[]): boolean {
  const counters = [0, 0, 0];
  return headings.every((h) => {
    counters[h.level - 1]! += 1;
    counters.fill(0, h.level);
    return h.number === counters.slice(0, h.level).join('.');
  });
}

/** The bookmark a heading's TOC entry links to (hidden: a leading underscore, as Word's own). */
const bookmarkOf = (heading: HeadingBlock): string => `_Toc_${heading.anchor.replace(/[^A-Za-z0-9]/g, '_')}`.slice(0, 40);

const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const run = (inner: string): string => `<w:r>${inner}</w:r>`;
const textRun = (text: string): string => run(`<w:t xml:space="preserve">${escapeXml(text)}</w:t>`);
const fieldChar = (type: 'begin' | 'separate' | 'end'): string => run(`<w:fldChar w:fldCharType="${type}"/>`);
const instruction = (code: string): string => run(`<w:instrText xml:space="preserve"> ${escapeXml(code)} </w:instrText>`);

/**
 * Replaces the placeholder paragraph with a TOC field whose result is already the entries: one
 * paragraph per heading (style TOC1–3), its number, a tab, its text, a dotted tab and a PAGEREF to
 * the heading's bookmark. Word and LibreOffice show it as written and refresh it on demand.
 */
function writeTableOfContents(parts: PackageParts, headings: readonly HeadingBlock[]): void {
  const entries = headings.map((h, i) => {
    const bookmark = bookmarkOf(h);
    const open = i === 0 ? `${fieldChar('begin')}${instruction('TOC \\o "1-3" \\h \\z \\u')}${fieldChar('separate')}` : '';
    const close = i === headings.length - 1 ? fieldChar('end') : '';
    const page = `${fieldChar('begin')}${instruction(`PAGEREF ${bookmark} \\h`)}${fieldChar('separate')}${fieldChar('end')}`;
    const label = h.number ? `${textRun(h.number)}${run('<w:tab/>')}${textRun(h.text)}` : textRun(h.text);
    return `<w:p><w:pPr><w:pStyle w:val="TOC${h.level}"/></w:pPr>${open}<w:hyperlink w:anchor="${bookmark}" w:history="1">${label}${run('<w:tab/>')}${page}</w:hyperlink>${close}</w:p>`;
  });
  const xml = partText(parts, 'word/document.xml');
  const placeholder = new RegExp(`<w:p>(?:(?!<w:p>)[\\s\\S])*?${TOC_PLACEHOLDER}[\\s\\S]*?</w:p>`);
  if (!placeholder.test(xml)) throw new Error('the table of contents placeholder is missing');
  setPartText(parts, 'word/document.xml', xml.replace(placeholder, () => entries.join('')));
}

/**
 * The library numbers the TOC bookmarks (`_TocN`, `w:id`) with counters that live as long as the
 * process, so a second document would get other numbers. Renumbered in order of appearance.
 */
function renumberBookmarks(parts: PackageParts): void {
  const names = new Map<string, string>();
  const ids = new Map<string, string>();
  const xml = partText(parts, 'word/document.xml')
    .replace(/_Toc\d+/g, (name) => {
      if (!names.has(name)) names.set(name, `_Toc${names.size + 1}`);
      return names.get(name)!;
    })
    .replace(/(<w:bookmark(?:Start|End)\b[^>]*\bw:id=")(\d+)(")/g, (_all, before: string, id: string, after: string) => {
      if (!ids.has(id)) ids.set(id, String(ids.size + 1));
      return `${before}${ids.get(id)}${after}`;
    });
  setPartText(parts, 'word/document.xml', xml);
}

/** Declares the document language to Word (theme fonts, proofing) and the French decimal comma. */
function setLanguageSettings(parts: PackageParts, language: string): void {
  const settings = partText(parts, 'word/settings.xml').replace(
    '</w:settings>',
    `<w:themeFontLang w:val="${language}"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>`,
  );
  setPartText(parts, 'word/settings.xml', settings);
}

function styles(language: string): IStylesOptions {
  const heading = (size: number, before: number, after: number, outlineLevel: number) => ({
    run: { font: FONTS.body, size, bold: true, color: COLORS.accent },
    paragraph: {
      outlineLevel,
      spacing: { before, after },
      keepNext: true,
      keepLines: true,
      indent: { left: HEADING_NUMBER_WIDTH, hanging: HEADING_NUMBER_WIDTH },
      tabStops: [{ type: TabStopType.LEFT, position: HEADING_NUMBER_WIDTH }],
    },
  });
  return {
    default: {
      document: {
        run: { font: FONTS.body, size: 20, color: COLORS.text, language: { value: language } },
        paragraph: { spacing: { after: 120, line: 264, lineRule: LineRuleType.AUTO } },
      },
      title: {
        run: { font: FONTS.body, size: 48, bold: true, color: COLORS.accent },
        paragraph: { spacing: { before: 240, after: 480, line: 240, lineRule: LineRuleType.AUTO } },
      },
      heading1: heading(30, 360, 160, 0),
      heading2: heading(25, 260, 120, 1),
      heading3: heading(22, 200, 100, 2),
      listParagraph: { paragraph: { spacing: { after: 60 } } },
    },
    paragraphStyles: [
      {
        id: 'TOCHeading',
        name: 'TOC Heading',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { font: FONTS.body, size: 30, bold: true, color: COLORS.accent },
        paragraph: { spacing: { before: 0, after: 240 } },
      },
      ...([1, 2, 3] as const).map((level) => ({
        id: `TOC${level}`,
        name: `toc ${level}`,
        basedOn: 'Normal',
        next: 'Normal',
        run: level === 1 ? { bold: true } : {},
        paragraph: {
          spacing: { before: level === 1 ? 120 : 0, after: 40 },
          indent: { left: (level - 1) * 340 + HEADING_NUMBER_WIDTH, hanging: HEADING_NUMBER_WIDTH },
          tabStops: [
            { type: TabStopType.LEFT, position: (level - 1) * 340 + HEADING_NUMBER_WIDTH },
            { type: TabStopType.RIGHT, position: TEXT_WIDTH, leader: 'dot' as const },
          ],
        },
      })),
      {
        id: 'CoverKicker',
        name: 'Cover Kicker',
        basedOn: 'Normal',
        next: 'Normal',
        run: { size: 24, color: COLORS.muted, allCaps: true },
        paragraph: { spacing: { before: 2400, after: 120 } },
      },
      {
        id: 'CoverNote',
        name: 'Cover Note',
        basedOn: 'Normal',
        next: 'Normal',
        run: { size: 16, italics: true, color: COLORS.muted },
        paragraph: { spacing: { before: 960 } },
      },
      {
        id: 'TableText',
        name: 'Table Text',
        basedOn: 'Normal',
        next: 'TableText',
        run: { size: 17 },
        paragraph: { spacing: { before: 40, after: 40, line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: 'Footer',
        name: 'footer',
        basedOn: 'Normal',
        run: { size: 16, color: COLORS.muted },
        paragraph: { spacing: { after: 0 } },
      },
    ],
  };
}

function footer(text: string): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: 'Footer',
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
        children: [
          new TextRun(text),
          new TextRun({ children: [new Tab(), 'Page ', PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  });
}

function cover(doc: DocumentModel): Array<Paragraph | Table> {
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const facts = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [2268, TEXT_WIDTH - 2268],
    layout: TableLayoutType.FIXED,
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: doc.cover.facts.map(
      (fact) =>
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: fact.label, bold: true, color: COLORS.muted })] })] }),
            new TableCell({ children: [new Paragraph({ text: fact.value })] }),
          ],
        }),
    ),
  });
  return [
    new Paragraph({ style: 'CoverKicker', text: doc.cover.kicker }),
    new Paragraph({ heading: HeadingLevel.TITLE, text: doc.cover.title }),
    facts,
    new Paragraph({ style: 'CoverNote', text: doc.cover.footnote }),
  ];
}

/** The "Sommaire" page: its title, and a placeholder the table of contents replaces (writeTableOfContents). */
function contents(): Paragraph[] {
  return [new Paragraph({ style: 'TOCHeading', text: 'Sommaire', pageBreakBefore: true }), new Paragraph({ text: TOC_PLACEHOLDER })];
}

function body(blocks: readonly Block[], numbered: boolean): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [];
  let lists = 0;
  // The body starts on the page after the table of contents.
  let breakBefore = true;
  let afterTable = false;
  for (const block of blocks) {
    const spaced = afterTable ? { spacing: { before: 160 } } : {};
    afterTable = block.type === 'table';
    switch (block.type) {
      case 'heading':
        out.push(heading(block, breakBefore, numbered));
        breakBefore = false;
        break;
      case 'paragraph':
      case 'bar':
        // A bar's caption carries all its figures: Word gets the text, not the drawing.
        out.push(new Paragraph({ children: runs(block.type === 'bar' ? block.caption : block.runs), pageBreakBefore: breakBefore, ...spaced }));
        breakBefore = false;
        break;
      case 'list':
        lists += 1;
        if (breakBefore) out.push(new Paragraph({ text: '', pageBreakBefore: true }));
        breakBefore = false;
        out.push(...list(block, lists, spaced));
        break;
      case 'table':
        if (breakBefore) out.push(new Paragraph({ text: '', pageBreakBefore: true }));
        breakBefore = false;
        out.push(table(block));
        break;
      case 'page-break':
        breakBefore = true;
        break;
    }
  }
  return out;
}

const HEADING_LEVELS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

/** A heading paragraph, bookmarked for its TOC entry; numbered by the multilevel list when `numbered`. */
function heading(block: HeadingBlock, pageBreakBefore: boolean, numbered: boolean): Paragraph {
  const typed = !numbered && block.number !== '';
  const text: ParagraphChild[] = typed ? [new TextRun(block.number), new TextRun({ children: [new Tab(), block.text] })] : [new TextRun(block.text)];
  return new Paragraph({
    heading: HEADING_LEVELS[block.level],
    children: [new Bookmark({ id: bookmarkOf(block), children: text })],
    pageBreakBefore,
    ...(numbered ? { numbering: { reference: HEADINGS, level: block.level - 1 } } : {}),
  });
}

function runs(list: readonly Run[], extra: { bold?: boolean } = {}): TextRun[] {
  return list.map(
    (run) =>
      new TextRun({
        text: run.text,
        ...(run.bold === true || extra.bold === true ? { bold: true } : {}),
        ...(run.italic === true ? { italics: true } : {}),
        ...(run.code === true ? { font: FONTS.code, size: 18 } : {}),
      }),
  );
}

function list(block: ListBlock, instance: number, first: { spacing?: { before: number } }): Paragraph[] {
  return block.items.map(
    (item, i) =>
      new Paragraph({
        ...(i === 0 ? first : {}),
        children: runs(item),
        numbering: { reference: block.ordered ? ORDERED : BULLET, level: 0, ...(block.ordered ? { instance } : {}) },
      }),
  );
}

const ALIGN: Record<CellAlign, (typeof AlignmentType)[keyof typeof AlignmentType]> = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
};

function table(block: TableBlock): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: COLORS.grid };
  const widths = columnWidths(block);
  const cell = (content: readonly Run[], column: number, header: boolean) =>
    new TableCell({
      children: [new Paragraph({ style: 'TableText', alignment: ALIGN[block.align[column] ?? 'left'], children: runs(content, { bold: header }) })],
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: COLORS.headerFill } } : {}),
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: block.header.map((c, i) => cell(c, i, true)) }),
      ...block.rows.map((row) => new TableRow({ cantSplit: true, children: row.map((c, i) => cell(c, i, false)) })),
    ],
  });
}

/**
 * Column widths in twips. Each column first gets room for its longest word (identifiers and
 * amounts stay on one line, within reason); the rest of the width is then shared in proportion
 * to each column's average amount of text, no column growing past what its longest cell needs
 * on one line. The requirement text thus takes most of the width, short values stay compact.
 */
export function columnWidths(block: TableBlock): number[] {
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
