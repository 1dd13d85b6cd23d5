/**
 * The structure tree of a tagged PDF (PDF/UA-1): every piece of text the renderer draws is
 * marked content belonging to a structure element, every decoration (table grid, rules,
 * footers, page numbers, repeated table headers, dot leaders) is an artifact, so that a screen
 * reader reads the document in the order of the model and skips what only paginates it.
 *
 * Built on PDFKit's documented structure API (`struct`, `addStructure`,
 * `markStructureContent`, `markContent`, `endMarkedContent`). Elements are created in reading
 * order, whatever order the pages are drawn in: the table of contents, drawn once the body is
 * laid out, has its elements created before the body's. A marked-content sequence never spans
 * a page break: callers mark what they draw on one page, and an element collects the sequences
 * of every page it continues on. Each block's element is ended as soon as the block is drawn,
 * so that PDFKit writes it then.
 */

/** The standard structure types Cahier writes (ISO 32000-1, 14.8.4). */
export type StructType =
  | 'Document'
  | 'Sect'
  | 'H1'
  | 'H2'
  | 'H3'
  | 'P'
  | 'L'
  | 'LI'
  | 'Lbl'
  | 'LBody'
  | 'Table'
  | 'TR'
  | 'TH'
  | 'TD'
  | 'TOC'
  | 'TOCI'
  | 'Link';

/** A structure element and its type. */
export interface Tag {
  readonly type: StructType;
  readonly element: PDFKit.PDFStructureElement;
}

/** Table header cells say which cells they head (PDF/UA: a TH has a Scope). */
export type HeaderScope = 'Column' | 'Row';

export class Tagger {
  /** The root element: every other element is its descendant. */
  readonly document: Tag;

  constructor(private readonly pdf: PDFKit.PDFDocument) {
    this.document = { type: 'Document', element: pdf.struct('Document') };
    pdf.addStructure(this.document.element);
  }

  /** A new element of `type`, appended to `parent`'s children. */
  add(parent: Tag, type: StructType, options: { scope?: HeaderScope } = {}): Tag {
    // PDFKit writes the Table attribute owner with the Scope; its types do not list `scope`.
    const element = this.pdf.struct(type, options as PDFKit.Mixins.StructureElementOptions);
    parent.element.add(element);
    return { type, element };
  }

  /** Draws content of `tag` (text drawn on the current page only) as one marked-content sequence. */
  mark(tag: Tag, draw: () => void): void {
    const content = this.pdf.markStructureContent(tag.type);
    draw();
    this.pdf.endMarkedContent();
    tag.element.add(content);
  }

  /**
   * Ends `tag` once everything it holds is drawn: PDFKit then writes the element and its
   * descendants at once, rather than keeping the whole tree in memory until the document ends
   * (≈ 700 elements for a 17-page CCTP, objects the garbage collector copied while the document
   * was drawn). Nothing may be added to it afterwards.
   */
  end(tag: Tag): void {
    tag.element.end();
  }

  /** Draws something that is not content: decoration or pagination, skipped by assistive technology. */
  artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    this.pdf.markContent('Artifact', { type });
    draw();
    this.pdf.endMarkedContent();
  }

  /**
   * A link annotation over (`x`, `y`, `w`, `h`) to the named destination `name`, as the
   * annotation object of `link` (a Link element), with `description` as its Contents (PDF/UA
   * asks an alternate description of every link). Ends `link` so that PDFKit writes it while
   * the page holding the annotation is current.
   */
  goTo(link: Tag, x: number, y: number, w: number, h: number, name: string, description: string): void {
    const options = { structParent: link.element, Contents: new String(description) };
    this.pdf.goTo(x, y, w, h, name, options as unknown as PDFKit.Mixins.AnnotationOption);
    link.element.end();
  }
}

/** The element type of a heading of `level`. */
export function headingType(level: 1 | 2 | 3): StructType {
  return level === 1 ? 'H1' : level === 2 ? 'H2' : 'H3';
}
