/**
 * Renderer-neutral document model. Templates produce markup, the markup parser produces
 * these blocks, and every renderer (PDF today; DOCX and HTML alike) lays them out without
 * knowing where they came from. Plain data only: no functions, no class instances.
 */

/** A run of text with one style. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  /**
   * Never broken across lines (a requirement reference such as `L1-TAB-03`, which bidders copy):
   * renderers keep the run on one line, moving it whole to the next line when needed.
   */
  noBreak?: boolean;
}

export interface HeadingBlock {
  type: 'heading';
  /** 1 = chapter, 2 = section, 3 = sub-section. */
  level: 1 | 2 | 3;
  /** Hierarchical number such as "4.2", assigned by the markup parser. */
  number: string;
  text: string;
  /** Stable anchor derived from the number, e.g. "sec-4-2". */
  anchor: string;
}

export interface ParagraphBlock {
  type: 'paragraph';
  runs: Run[];
}

export interface ListBlock {
  type: 'list';
  ordered: boolean;
  items: Run[][];
}

export type CellAlign = 'left' | 'center' | 'right';

export interface TableBlock {
  type: 'table';
  /** Header cells; renderers repeat this row at the top of every page the table spans. */
  header: Run[][];
  rows: Run[][][];
  align: CellAlign[];
}

export interface PageBreakBlock {
  type: 'page-break';
}

/** The kind of a bar segment; each renderer gives it a colour, named in the document's legend. */
export type BarTone = 'positive' | 'negative' | 'missing' | 'pending';

/**
 * A horizontal stacked bar with its figures written out: `caption` says everything the bar shows
 * (renderers write it as text, so a reader who cannot see the bar loses nothing), `segments` are
 * drawn left to right in proportion to their value, as decoration (a PDF artifact).
 */
export interface BarBlock {
  type: 'bar';
  caption: Run[];
  segments: Array<{ value: number; tone: BarTone }>;
}

export type Block = HeadingBlock | ParagraphBlock | ListBlock | TableBlock | PageBreakBlock | BarBlock;

export interface DocumentMeta {
  title: string;
  subject: string;
  author: string;
  keywords: string[];
  /** BCP 47 language tag of the content. */
  language: string;
  /** ISO date-time used as the creation and modification date, so output is reproducible. */
  createdAt: string;
}

export interface CoverPage {
  /** Small line above the title, e.g. "Cahier des clauses techniques particulières". */
  kicker: string;
  title: string;
  /** Label/value lines such as "Acheteur" / "Commune de …". */
  facts: Array<{ label: string; value: string }>;
  /** Line at the foot of the cover. */
  footnote: string;
}

export interface DocumentModel {
  meta: DocumentMeta;
  cover: CoverPage;
  /** Text printed at the left of every page footer, e.g. the document reference. */
  footerText: string;
  blocks: Block[];
}

/** Plain text of a list of runs. */
export function runsText(runs: readonly Run[]): string {
  return runs.map((r) => r.text).join('');
}
