/**
 * DocumentModel → PDF with PDFKit.
 *
 * Page order: cover (page 1, no footer), table of contents (pages 2…, sized before the body is
 * laid out), body. Footers "Page X / Y" count every page including the cover, so X is the
 * page number a PDF viewer shows. Pages stay buffered (`bufferPages`) so that the TOC page
 * numbers and the footers are written once the layout is done.
 *
 * Fonts: DejaVu Sans faces parsed once per process (see fonts.ts); the document is created
 * with `font: null` so PDFKit never loads its standard Helvetica. Output is reproducible:
 * the file ID PDFKit derives from the info dictionary and the font subset tags derived from
 * font ids are the only variable parts, and both depend on the model alone.
 */
import PDFDocument from 'pdfkit';
import type { DocumentModel, HeadingBlock } from '../../documents/blocks.ts';
import { drawBlocks } from './body.ts';
import { drawCover } from './cover.ts';
import { Flow } from './flow.ts';
import { loadFonts, registerFonts } from './fonts.ts';
import { drawFooters } from './footer.ts';
import { PAGE } from './theme.ts';
import { drawToc, planToc } from './toc.ts';

export interface RenderPdfOptions {
  /**
   * Directory holding DejaVuSans.ttf, DejaVuSans-Bold.ttf, DejaVuSans-Oblique.ttf,
   * DejaVuSans-BoldOblique.ttf and DejaVuSansMono.ttf (e.g. next to a bundle). Defaults to
   * the `dejavu-fonts-ttf` package.
   */
  fontsDir?: string;
}

export async function renderPdf(doc: DocumentModel, options: RenderPdfOptions = {}): Promise<Buffer> {
  const fonts = loadFonts(options.fontsDir);
  const date = new Date(doc.meta.createdAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`meta.createdAt is not a valid date: "${doc.meta.createdAt}"`);

  const pdf = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margins: { ...PAGE.margins },
    autoFirstPage: false,
    bufferPages: true,
    // No default font: PDFKit would otherwise load Helvetica, which fails inside a bundle.
    font: null as unknown as string,
    pdfVersion: '1.7',
    lang: doc.meta.language,
    displayTitle: true,
    info: {
      Title: doc.meta.title,
      Subject: doc.meta.subject,
      Author: doc.meta.author,
      Keywords: doc.meta.keywords.join(', '),
      Creator: 'Cahier',
      Producer: 'Cahier (PDFKit)',
      CreationDate: date,
      ModDate: date,
    },
  });
  const output = collect(pdf);
  registerFonts(pdf, fonts);

  pdf.addPage();
  const flow = new Flow(pdf, fonts);
  drawCover(flow, doc.cover);

  const headings = doc.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
  const toc = planToc(headings, fonts);
  const tocFirstPage = flow.page + 1;
  for (let i = 0; i < toc.pages; i++) pdf.addPage();

  flow.newPage();
  const placements = drawBlocks(flow, doc.blocks);
  drawToc(pdf, toc, fonts, tocFirstPage, (i) => placements[i]!.page);
  drawFooters(pdf, fonts, doc.footerText, 2);

  pdf.end();
  return output;
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}
