/**
 * Vertical cursor over the pages of a PDFKit document. Every page break of the layout goes
 * through `newPage()`; PDFKit itself never adds a page because all text is drawn with
 * `lineBreak: false`.
 */
import type { FontSet } from './fonts.ts';
import type { Tagger } from './tags.ts';
import { CONTENT_WIDTH, PAGE } from './theme.ts';

/** What a layout check needs to know of a drawn piece (see PdfLayout in render-pdf.ts). */
export type DrawnKind = 'heading' | 'table-header' | 'table-row' | 'text';

export class Flow {
  readonly left: number = PAGE.margins.left;
  readonly width = CONTENT_WIDTH;
  readonly top: number = PAGE.margins.top;
  readonly bottom = PAGE.height - PAGE.margins.bottom;
  y: number = PAGE.margins.top;
  /** What was drawn last on each page (index: 1-based page number). */
  readonly lastDrawn: DrawnKind[] = [];

  constructor(
    readonly pdf: PDFKit.PDFDocument,
    readonly fonts: FontSet,
    /** The structure tree everything drawn through this flow belongs to. */
    readonly tags: Tagger,
  ) {}

  /** 1-based number of the page being written (the last page added). */
  get page(): number {
    return this.pdf.bufferedPageRange().count;
  }

  /** Space left on the current page, in points. */
  get room(): number {
    return this.bottom - this.y;
  }

  /** True when nothing has been written on the current page yet. */
  get atTop(): boolean {
    return this.y <= this.top + 0.01;
  }

  newPage(): void {
    this.pdf.addPage();
    this.y = this.top;
  }

  /** Records that a piece of `kind` was just drawn on the current page. */
  drew(kind: DrawnKind): void {
    this.lastDrawn[this.page] = kind;
  }

  /** Vertical space before a block, dropped at the top of a page. */
  gap(height: number): void {
    if (!this.atTop) this.y += height;
  }

  /** Starts a new page unless `height` fits below the cursor or the page is still empty. */
  ensure(height: number): void {
    if (height > this.room && !this.atTop) this.newPage();
  }
}
