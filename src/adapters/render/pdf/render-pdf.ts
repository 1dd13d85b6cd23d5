/**
 * DocumentModel → PDF with PDFKit.
 *
 * Page order: cover (page 1), table of contents (pages 2…, sized before the body is laid out),
 * body. Every page, the cover included, has the footer text and "Page X / Y", X being the page
 * number a PDF viewer shows. Pages stay buffered (`bufferPages`) so that the TOC page numbers
 * and the footers are written once the layout is done.
 *
 * Fonts: DejaVu Sans faces parsed once per process (see fonts.ts); the document is created
 * with `font: null` so PDFKit never loads its standard Helvetica. Output is reproducible,
 * byte for byte, whatever the process rendered before: the file ID PDFKit derives from the
 * info dictionary (CreationDate = meta.createdAt), the font subset tags derived from font ids
 * and the ToUnicode maps (see createMappedGlyphs in fonts.ts) depend on the model alone.
 */
import PDFDocument from 'pdfkit';
import type { Block, DocumentModel, HeadingBlock } from '#src/core/documents/blocks.ts';
import { drawBlocks } from './body.ts';
import { drawCover } from './cover.ts';
import { Flow, type DrawnKind } from './flow.ts';
import { loadFonts, registerFonts } from './fonts.ts';
import { drawFooters } from './footer.ts';
import { PAGE } from './theme.ts';
import { Tagger } from './tags.ts';
import { drawToc, planToc, tocTags } from './toc.ts';
import { bufferPageContents, collectOutput, NO_DEFAULT_FONT, replaceXmpInfo } from './upstream.ts';
import { attachFiles, PDFA_SUBSET, xmpDescriptions, type PdfAttachment } from './archival.ts';

export type { PdfAttachment };

export interface RenderPdfOptions {
  /**
   * Directory holding DejaVuSans.ttf, DejaVuSans-Bold.ttf, DejaVuSans-Oblique.ttf,
   * DejaVuSans-BoldOblique.ttf and DejaVuSansMono.ttf (e.g. next to a bundle). Defaults to
   * the `dejavu-fonts-ttf` package.
   */
  fontsDir?: string;
  /** Files the PDF carries as associated files (PDF/A-3), e.g. the OCDS release it publishes. */
  attachments?: readonly PdfAttachment[];
}

/** Where things landed: for layout checks and for other renderers' page references. */
export interface PdfLayout {
  /** Page count, cover and table of contents included. */
  readonly pages: number;
  /** Every heading of the model, in order, with its 1-based page and the top of its first line (points from the page top). */
  readonly headings: readonly { readonly anchor: string; readonly page: number; readonly y: number }[];
  /** What was drawn last on each body page (index 0 = page 1; undefined for cover and contents pages). */
  readonly lastDrawn: readonly (DrawnKind | undefined)[];
}

const CREATOR = 'Cahier';
const PRODUCER = 'Cahier (PDFKit)';

export async function renderPdf(doc: DocumentModel, options: RenderPdfOptions = {}): Promise<Buffer> {
  return (await renderPdfWithLayout(doc, options)).bytes;
}

/** renderPdf, also returning where the headings landed and what ends each page. */
export async function renderPdfWithLayout(doc: DocumentModel, options: RenderPdfOptions = {}): Promise<{ bytes: Buffer; layout: PdfLayout }> {
  const fonts = loadFonts(options.fontsDir);
  const date = new Date(doc.meta.createdAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`meta.createdAt is not a valid date: "${doc.meta.createdAt}"`);

  const pdf = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margins: { ...PAGE.margins },
    autoFirstPage: false,
    bufferPages: true,
    // No default font: PDFKit would otherwise load Helvetica, which fails inside a bundle.
    font: NO_DEFAULT_FONT,
    pdfVersion: '1.7',
    lang: doc.meta.language,
    displayTitle: true,
    tagged: true,
    subset: PDFA_SUBSET,
    info: {
      Title: doc.meta.title,
      Subject: doc.meta.subject,
      Author: doc.meta.author,
      Keywords: doc.meta.keywords.join(', '),
      Creator: CREATOR,
      Producer: PRODUCER,
      CreationDate: date,
      ModDate: date,
    },
  });
  replaceXmpInfo(
    pdf,
    xmpDescriptions({
      title: doc.meta.title,
      author: doc.meta.author,
      subject: doc.meta.subject,
      keywords: doc.meta.keywords.join(', '),
      language: doc.meta.language,
      creator: CREATOR,
      producer: PRODUCER,
      date,
    }),
  );
  const output = collectOutput(pdf);
  attachFiles(pdf, options.attachments ?? [], date);
  registerFonts(pdf, fonts);
  bufferPageContents(pdf);

  pdf.addPage();
  const tags = new Tagger(pdf);
  const flow = new Flow(pdf, fonts, tags);
  drawCover(flow, doc.cover, tags.document);

  const headings = doc.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
  const toc = planToc(headings, fonts);
  const tocAt = toc.pages > 0 ? tocTags(tags, tags.document) : null;
  const tocFirstPage = flow.page + 1;
  for (let i = 0; i < toc.pages; i++) pdf.addPage();

  flow.newPage();
  const placements = drawBlocks(flow, doc.blocks, tags.document);
  if (tocAt) drawToc(pdf, toc, fonts, tocFirstPage, (i) => placements[i]!.page, { tags, at: tocAt });
  drawFooters(pdf, fonts, tags, doc.footerText);

  const pages = flow.page;
  pdf.end();
  const layout: PdfLayout = {
    pages,
    headings: placements.map((p) => ({ anchor: p.heading.anchor, page: p.page, y: p.y })),
    lastDrawn: Array.from({ length: pages }, (_, i) => flow.lastDrawn[i + 1]),
  };
  return { bytes: await output, layout };
}

/**
 * Loads the fonts and renders a small document once, so that the first real document does not
 * pay for decoding the fonts' shaping tables and compiling the layout code (≈ 0.5 s on a small
 * machine, against ≈ 60 ms for a warm 20-page document). Call it while a server or a Lambda
 * function initialises.
 */
export async function warmUpPdfRenderer(options: RenderPdfOptions = {}): Promise<void> {
  await renderPdf(WARM_UP_DOCUMENT, options);
}

const WARM_UP_TEXT = 'Éléments ≥ 32 Go, ≤ 1,5 kg : 1\u202f234,50\u00a0€ ; « œuvre » à ç ù 0123456789.';
const WARM_UP_DOCUMENT: DocumentModel = {
  meta: { title: 'Préchauffage', subject: '', author: '', keywords: [], language: 'fr-FR', createdAt: '2000-01-01T00:00:00Z' },
  cover: { kicker: WARM_UP_TEXT, title: WARM_UP_TEXT, facts: [{ label: 'Référence', value: WARM_UP_TEXT }], footnote: WARM_UP_TEXT },
  footerText: WARM_UP_TEXT,
  // Enough text for the JIT to optimise the hot paths: a tiny document would leave them cold.
  blocks: Array.from({ length: 12 }, (_, i): Block[] => [
    { type: 'heading', level: 1, number: `${i + 1}`, text: WARM_UP_TEXT, anchor: `sec-${i + 1}` },
    { type: 'heading', level: 2, number: `${i + 1}.1`, text: WARM_UP_TEXT, anchor: `sec-${i + 1}-1` },
    {
      type: 'paragraph',
      runs: [{ text: WARM_UP_TEXT }, { text: WARM_UP_TEXT, bold: true }, { text: WARM_UP_TEXT, italic: true }, { text: WARM_UP_TEXT, bold: true, italic: true }, { text: WARM_UP_TEXT, code: true }],
    },
    { type: 'list', ordered: true, items: [[{ text: WARM_UP_TEXT }]] },
    {
      type: 'table',
      header: [[{ text: 'ID' }], [{ text: 'Exigence' }]],
      align: ['left', 'right'],
      rows: Array.from({ length: 12 }, (_, r) => [[{ text: `A-${r}`, code: true }], [{ text: WARM_UP_TEXT }]]),
    },
  ]).flat(),
};
